import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { Keys } from '../commands/Keys.tsx'
import { useServices } from '../services.tsx'

/// Settings → Keyboard shortcuts: every keybinding of the command registry (command, keys, where it applies),
/// searchable by any of them. Generated, so it is never out of date. `focusSearch`: the search field takes focus
/// (Preferences: Open Keyboard Shortcuts).
export function ShortcutsSettings({ focusSearch = false }: { focusSearch?: boolean }) {
  const { commands } = useServices()
  const version = useSyncExternalStore(commands.version.subscribe, commands.version.get)
  const [query, setQuery] = useState('')
  const searchRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (!focusSearch) return
    // After the dialog has moved focus to its first control.
    const frame = requestAnimationFrame(() => {
      searchRef.current?.focus({ preventScroll: true })
      // The section's heading too, not only the field.
      searchRef.current?.closest('section')?.scrollIntoView({ block: 'start' })
    })
    return () => cancelAnimationFrame(frame)
  }, [focusSearch])

  const rows = useMemo(() => {
    const info = new Map(commands.commands().map((c) => [c.id, c]))
    return commands.keybindings().map((binding) => {
      const c = info.get(binding.rule.command)
      const title = c ? (c.category ? `${c.category}: ${c.title}` : c.title) : binding.rule.command
      return { binding, title, text: `${title} ${binding.rule.command} ${binding.label} ${binding.rule.when ?? ''}`.toLowerCase() }
    })
    // `version`: re-read when commands or keybindings are registered.
  }, [commands, version]) // eslint-disable-line react-hooks/exhaustive-deps

  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const shown = rows.filter((r) => words.every((w) => r.text.includes(w)))

  return (
    <section className="settings-section" aria-labelledby="settings-shortcuts-title" data-testid="settings.shortcuts">
      <h3 id="settings-shortcuts-title">Keyboard shortcuts</h3>
      <input
        ref={searchRef}
        className="shortcuts-search"
        type="search"
        aria-label="Search keyboard shortcuts"
        aria-describedby="settings-shortcuts-count"
        placeholder="Search by command, key or context"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        // In the Settings form Enter would save and close it.
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
        data-testid="shortcuts.search"
      />
      <p className="form-hint" id="settings-shortcuts-count" role="status" data-testid="shortcuts.count">
        {shown.length === rows.length ? `${rows.length} shortcuts` : `${shown.length} of ${rows.length} shortcuts`}
      </p>
      {/* Scrolls by itself, so it takes focus for keyboard scrolling (and says what it is). */}
      <div className="shortcuts-scroll" tabIndex={0} role="region" aria-label="Keyboard shortcuts list">
        <table className="shortcuts-table">
          <thead>
            <tr>
              <th scope="col">Command</th>
              <th scope="col">Keys</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ binding, title }, i) => (
              <tr key={`${binding.rule.command}-${binding.label}-${i}`} data-testid="shortcuts.row" data-command={binding.rule.command} data-keys={binding.label}>
                <td>{title}</td>
                <td>
                  <Keys chord={binding.chord} platform={commands.platform} label={binding.label} />
                </td>
                <td>{binding.rule.when ? <code>{binding.rule.when}</code> : <span className="shortcuts-anywhere">anywhere</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="shortcuts-none">No shortcut matches “{query}”.</p>}
      </div>
      <p className="form-hint">
        The code editor’s own keys (Ctrl+F find, Ctrl+H replace, F12 go to definition, its Ctrl+K chords…) apply while it
        has focus; the command palette (F1) lists its actions with their keys.
      </p>
    </section>
  )
}
