import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { evaluateWhen, parseRecent, rankPalette, rememberRecent, type Chord, type Context } from '../../core/commands/index.ts'
import { marked } from '../common/marked.tsx'
import { QuickInput } from '../common/QuickInput.tsx'
import { useServices } from '../services.tsx'
import { useCommandHandler, useContextClaim } from './hooks.ts'
import { Keys } from './Keys.tsx'
import { CLOSE_QUICK_OPEN } from './workbenchCommands.ts'


/// Where the palette's recently used commands are kept (localStorage, via `prefs`).
export const RECENT_KEY = 'commands.recent'

/// One row of the palette.
export interface PaletteItem {
  readonly id: string
  /// `Category: Title`.
  readonly label: string
  readonly keys?: { readonly chord: Chord; readonly label: string } | { readonly text: string }
  readonly run: () => unknown
}

export interface CommandPaletteProps {
  /// The context when the palette was opened (focus has moved into it since): what is enabled, which keys apply.
  readonly context: Context
  /// Called to close it: with a command to run once focus is back where it was, or none (Escape, a click outside).
  readonly onClose: (run?: () => unknown) => void
}

/// The command palette (F1, Ctrl+Shift+P): every workbench command enabled where it was opened, and the code
/// editor's own actions, fuzzy-matched, with their shortcuts; recently used first. Arrows choose, Enter runs,
/// Escape closes; focus goes back to where it was in both cases (App does that, then runs the command).
export function CommandPalette({ context, onClose }: CommandPaletteProps) {
  const { commands, prefs } = useServices()
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState(0)
  const [recent] = useState(() => parseRecent(prefs.get(RECENT_KEY)))
  const listRef = useRef<HTMLUListElement>(null)
  const id = useId()
  useContextClaim('inQuickOpen')
  useContextClaim('dialogFocus')
  useCommandHandler(CLOSE_QUICK_OPEN, () => onClose())

  const items = useMemo<PaletteItem[]>(() => {
    const label = (category: string | undefined, title: string) => (category ? `${category}: ${title}` : title)
    const own = commands
      .commands()
      .filter((c) => c.palette !== false && commands.isEnabled(c.id, context))
      .map((c): PaletteItem => {
        const bindings = commands.keybindingsFor(c.id)
        const binding = bindings.find((b) => !b.when || evaluateWhen(b.when, context)) ?? bindings[0]
        return {
          id: c.id,
          label: label(c.category, c.title),
          ...(binding ? { keys: { chord: binding.chord, label: binding.label } } : {}),
          run: () => commands.execute(c.id),
        }
      })
    const seen = new Set(own.map((c) => c.id))
    const provided = commands
      .provided()
      .filter((c) => !seen.has(c.id))
      .map((c): PaletteItem => ({ id: c.id, label: label(c.category, c.title), ...(c.keybinding ? { keys: { text: c.keybinding } } : {}), run: c.run }))
    return [...own, ...provided]
  }, [commands, context])

  const ranked = useMemo(() => rankPalette(items, query, recent), [items, query, recent])
  const index = Math.min(selected, Math.max(0, ranked.length - 1))

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [index, ranked])

  const run = (item: PaletteItem | undefined) => {
    if (!item) return
    prefs.set(RECENT_KEY, rememberRecent(recent, item.id))
    onClose(item.run)
  }

  const firstOther = ranked.findIndex((r) => !r.recent)
  return (
    <QuickInput
      label="Command palette"
      testId="palette"
      inputTestId="palette.input"
      placeholder="Type the name of a command to run"
      value={query}
      onChange={(value) => {
        setQuery(value)
        setSelected(0)
      }}
      listId={`${id}-list`}
      activeId={ranked.length ? `${id}-${index}` : undefined}
      count={ranked.length}
      index={index}
      onSelect={setSelected}
      onAccept={() => run(ranked[index]?.entry)}
      onClose={() => onClose()}
    >
      <ul className="quickopen-list" role="listbox" id={`${id}-list`} aria-label="Commands" ref={listRef}>
        {ranked.map(({ entry, positions, recent: isRecent }, i) => (
          <li
            key={entry.id}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === index}
            className="quickopen-item palette-item"
            data-testid="palette.item"
            data-command={entry.id}
            data-recent={isRecent ? 'true' : undefined}
            data-index={i}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(entry)}
          >
            <span className="palette-label">{marked(entry.label, new Set(positions), 0, entry.label.length)}</span>
            {/* VS Code's group labels: where the recently used end and the rest begin. */}
            {isRecent && i === 0 && <span className="palette-group">recently used</span>}
            {!isRecent && i === firstOther && firstOther > 0 && <span className="palette-group">other commands</span>}
            {entry.keys && ('text' in entry.keys ? <span className="palette-keys-text">{entry.keys.text}</span> : <Keys chord={entry.keys.chord} platform={commands.platform} label={entry.keys.label} />)}
          </li>
        ))}
        {ranked.length === 0 && (
          <li className="quickopen-empty" role="presentation" data-testid="palette.empty">
            No matching commands
          </li>
        )}
      </ul>
    </QuickInput>
  )
}

export default CommandPalette
