import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { quickOpen, type FileMatch } from '../../core/search/search.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { useStore } from '../hooks/useStore.ts'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import type { DocumentSymbolItem, EditorController } from '../../core/editor/EditorController.ts'
import { useEditorController } from '../editor/editorControllerContext.tsx'
import { marked } from '../common/marked.tsx'
import { QuickInput } from '../common/QuickInput.tsx'
import { useContextClaim } from '../commands/hooks.ts'
import { parseQuickOpenQuery } from './quickOpenQuery.ts'
import { filterSymbols } from './symbolFilter.ts'

export interface QuickOpenProps {
  workspace: Workspace
  /// Called when the palette should go away (Escape, a click outside, or after opening a file).
  onClose: () => void
  /// Opens a file; defaults to dispatching `open`. The palette then focuses the editor (and goes to `:line`).
  onOpen?: (path: string) => void
}

const LIMIT = 50

/// The Ctrl+P / Ctrl+E "Go to file" palette: fuzzy file search with the matched characters highlighted, arrows to
/// choose, Enter to open, Escape to close. `name:12` or `name:12:5` also goes to that line (and column).
/// Rendered while open: the workbench mounts it on the shortcut and unmounts it on `onClose`.
export function QuickOpen({ workspace, onClose, onOpen }: QuickOpenProps) {
  const paths = useStore(workspace.store, (s) => s.paths)
  const openTabs = useStore(workspace.store, (s) => s.openTabs)
  const activeTab = useStore(workspace.store, (s) => s.activeTab)
  const editor = useEditorController()
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState(0)
  const listRef = useRef<HTMLUListElement>(null)
  const opened = useRef(false)
  const id = useId()
  // A modal quick input: Ctrl+G and Escape-closes-a-popover leave it alone; F1 replaces it with the palette.
  useContextClaim('inQuickOpen')
  useContextClaim('dialogFocus')
  const parsed = parseQuickOpenQuery(query)
  const file = parsed.kind === 'file' ? parsed.file : ''
  const lines = useLineCount(workspace, parsed.kind === 'line' ? activeTab : undefined)
  const symbols = useSymbols(editor, parsed.kind === 'symbol' ? activeTab : undefined)
  const symbolQuery = parsed.kind === 'symbol' ? parsed.symbol : ''
  const symbolMatches = useMemo(() => (Array.isArray(symbols) ? filterSymbols(symbols, symbolQuery) : []), [symbols, symbolQuery])

  const files = useMemo<FileMatch[]>(() => {
    if (parsed.kind !== 'file') return []
    if (file) return quickOpen(paths, file, LIMIT)
    // Nothing typed: open files first (the one before the active, so Enter flips between two), then the rest.
    const recent = openTabs.filter((p) => p !== activeTab).reverse()
    if (activeTab) recent.push(activeTab)
    const seen = new Set(recent)
    return [...recent, ...paths.filter((p) => !seen.has(p))].slice(0, LIMIT).map((path) => ({ path, score: 0, positions: [] }))
  }, [paths, parsed.kind, file, openTabs, activeTab])

  // `:line` has one row: where Enter goes, or what to type.
  const lineTarget = parsed.kind === 'line' && activeTab && lines !== undefined && parsed.line !== undefined ? parsed : undefined
  const results: readonly unknown[] = parsed.kind === 'line' ? (lineTarget ? [lineTarget] : []) : parsed.kind === 'symbol' ? symbolMatches : files

  const index = Math.min(selected, Math.max(0, results.length - 1))

  // Focus returns where it was, unless a file was opened: then the editor gets it. Captured while rendering,
  // before the input's autoFocus moves it.
  const [previous] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)))
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      // Only on a real unmount: StrictMode's trial unmount is followed by a mount before this runs.
      queueMicrotask(() => {
        if (mounted.current) return
        if (opened.current) editor.focus()
        else if (previous?.isConnected) previous.focus()
      })
    }
  }, [editor, previous])

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [index, results])

  const choose = (path: string | undefined) => {
    if (!path) return
    if (onOpen) onOpen(path)
    else workspace.dispatch({ type: 'open', path })
    opened.current = true
    if (parsed.kind === 'file' && parsed.line !== undefined) editor.reveal(path, parsed.line, parsed.column ?? 1)
    onClose()
  }

  const goToLine = () => {
    if (!lineTarget || !activeTab) return
    opened.current = true
    editor.reveal(activeTab, lineTarget.line!, lineTarget.column ?? 1)
    onClose()
  }

  const goToSymbol = (symbol: DocumentSymbolItem | undefined) => {
    if (!symbol || !activeTab) return
    opened.current = true
    editor.reveal(activeTab, symbol.line, symbol.column)
    onClose()
  }

  const accept = () =>
    parsed.kind === 'line' ? goToLine() : parsed.kind === 'symbol' ? goToSymbol(symbolMatches[index]?.symbol) : choose(files[index]?.path)

  return (
    <QuickInput
      label={LABELS[parsed.kind].dialog}
      testId="quickopen"
      inputTestId="quickopen.input"
      placeholder="Search files by name (:line goes to a line, @ to a symbol of this file)"
      value={query}
      onChange={(value) => {
        setQuery(value)
        setSelected(0)
      }}
      listId={`${id}-list`}
      activeId={results.length ? `${id}-${index}` : undefined}
      count={results.length}
      index={index}
      onSelect={setSelected}
      onAccept={accept}
      onClose={onClose}
    >
      <ul className="quickopen-list" role="listbox" id={`${id}-list`} aria-label={LABELS[parsed.kind].list} ref={listRef}>
        {parsed.kind === 'file' &&
          files.map((m, i) => (
            <li
              key={m.path}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === index}
              className="quickopen-item"
              data-testid="quickopen.item"
              data-path={m.path}
              data-index={i}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(m.path)}
            >
              <FileIcon icon={fileIconFor(m.path)} />
              <Highlighted path={m.path} positions={m.positions} />
            </li>
          ))}
        {parsed.kind === 'file' && files.length === 0 && (
          <li className="quickopen-empty" role="presentation">
            No matching files
          </li>
        )}
        {lineTarget && activeTab && (
          <li
            id={`${id}-0`}
            role="option"
            aria-selected="true"
            className="quickopen-item"
            data-testid="quickopen.line"
            data-index={0}
            onMouseDown={(e) => e.preventDefault()}
            onClick={goToLine}
          >
            <span className="quickopen-text">
              <span className="quickopen-name">
                Go to line {Math.min(lineTarget.line!, lines!)}
                {lineTarget.column !== undefined && `, column ${lineTarget.column}`}
              </span>
              <span className="quickopen-dir">{activeTab}</span>
            </span>
          </li>
        )}
        {parsed.kind === 'line' && !lineTarget && (
          <li className="quickopen-empty" role="presentation" data-testid="quickopen.hint">
            {activeTab && lines !== undefined
              ? `Type a line number between 1 and ${lines} to go to it in ${activeTab}.`
              : 'Open a text file to go to one of its lines.'}
          </li>
        )}
        {parsed.kind === 'symbol' &&
          symbolMatches.map((m, i) => (
            <li
              key={`${m.symbol.line}:${m.symbol.column}:${m.symbol.name}`}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === index}
              className="quickopen-item"
              data-testid="quickopen.symbol"
              data-name={m.symbol.name}
              data-index={i}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => goToSymbol(m.symbol)}
            >
              <span className={`quickopen-symbol-icon codicon codicon-symbol-${m.symbol.kind}`} aria-hidden="true" />
              <span className="quickopen-text">
                <span className="quickopen-name">{marked(m.symbol.name, new Set(m.positions), 0, m.symbol.name.length)}</span>
                <span className="quickopen-dir">{m.symbol.kind.replace('-', ' ')}
                  {m.symbol.container && ` in ${m.symbol.container}`}</span>
              </span>
            </li>
          ))}
        {parsed.kind === 'symbol' && symbolMatches.length === 0 && (
          <li className="quickopen-empty" role="presentation" data-testid="quickopen.hint">
            {!activeTab
              ? 'Open a file to go to one of its symbols.'
              : symbols === 'loading'
                ? 'Reading symbols…'
                : symbols === 'failed'
                  ? `The symbols of ${activeTab} could not be read.`
                  : symbols.length
                    ? 'No matching symbols'
                    : `No symbols in ${activeTab}`}
          </li>
        )}
      </ul>
    </QuickInput>
  )
}

export default QuickOpen

const LABELS = {
  file: { dialog: 'Go to file', list: 'Files' },
  line: { dialog: 'Go to line', list: 'Line' },
  symbol: { dialog: 'Go to symbol', list: 'Symbols' },
} as const

/// The file name, then its folder (dimmed), with matched characters marked.
function Highlighted({ path, positions }: { path: string; positions: readonly number[] }) {
  const slash = path.lastIndexOf('/')
  const marks = new Set(positions)
  return (
    <span className="quickopen-text">
      <span className="quickopen-name">{marked(path, marks, slash + 1, path.length)}</span>
      {slash > 0 && <span className="quickopen-dir">{marked(path, marks, 0, slash)}</span>}
    </span>
  )
}

/// The symbols of the open file at `path`, read once when asked for (undefined `path`: not asked).
function useSymbols(editor: EditorController, path: string | undefined): readonly DocumentSymbolItem[] | 'loading' | 'failed' {
  const [state, setState] = useState<{ path: string; symbols: readonly DocumentSymbolItem[] | 'failed' } | undefined>()
  useEffect(() => {
    if (!path) return
    let live = true
    editor
      .symbols(path)
      .then(
        (symbols) => live && setState({ path, symbols }),
        () => live && setState({ path, symbols: 'failed' }),
      )
    return () => {
      live = false
    }
  }, [editor, path])
  return state && state.path === path ? state.symbols : 'loading'
}

/// The number of lines of the text file at `path` (undefined: none, or binary), kept current while it changes.
function useLineCount(workspace: Workspace, path: string | undefined): number | undefined {
  const text = path ? workspace.text(path) : undefined
  const count = () => (text ? text.toString().split('\n').length : undefined)
  const [lines, setLines] = useState(count)
  useEffect(() => {
    setLines(count())
    if (!text) return
    const update = () => setLines(count())
    text.observe(update)
    return () => text.unobserve(update)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `count` reads only `text`
  }, [text])
  return lines
}
