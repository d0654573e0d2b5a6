import { useCallback, useEffect, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react'
import * as Y from 'yjs'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import { EditorController } from './EditorController.ts'
import { searchWorkspace, summary, type HitView, type SearchOutcome } from './searchResults.ts'
import './search.css'

export interface SearchPanelProps {
  workspace: Workspace
  /// Opens a file; defaults to dispatching `open`. The panel then reveals and selects the hit in the editor.
  onOpen?: (path: string) => void
}

const DEBOUNCE_MS = 200
const LIMIT = 2000

interface Options {
  caseSensitive: boolean
  wholeWord: boolean
  regex: boolean
}

/// Find in files (Ctrl+Shift+F): a query with match case / whole word / regex toggles (Alt+C / Alt+W / Alt+R),
/// results grouped by file. Clicking a hit opens the file and selects the match. Re-runs as files change.
export function SearchPanel({ workspace, onOpen }: SearchPanelProps) {
  const [query, setQuery] = useState(() => EditorController.for(workspace).selectionText() ?? '')
  const [options, setOptions] = useState<Options>({ caseSensitive: false, wholeWord: false, regex: false })
  const [outcome, setOutcome] = useState<SearchOutcome | undefined>()
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const [filesVersion, setFilesVersion] = useState(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const resultsRef = useRef<HTMLDivElement>(null)

  // Files changed: search again (debounced with the query below).
  useEffect(() => {
    const bump = () => setFilesVersion((v) => v + 1)
    workspace.files.observeDeep(bump)
    return () => workspace.files.unobserveDeep(bump)
  }, [workspace])

  useEffect(() => {
    if (!query) {
      setOutcome(undefined)
      return
    }
    const t = setTimeout(() => {
      const files: Array<[string, string]> = []
      for (const [path, value] of workspace.files.entries()) if (value instanceof Y.Text) files.push([path, value.toString()])
      files.sort((a, b) => (a[0] < b[0] ? -1 : 1))
      setOutcome(searchWorkspace(files, query, { ...options, limit: LIMIT }))
    }, DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [workspace, query, options, filesVersion])

  // Ctrl+Shift+F while the panel is shown: focus the query (with the editor's selection, like VS Code).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.code === 'KeyF') {
        const selection = EditorController.for(workspace).selectionText()
        if (selection) setQuery(selection)
        requestAnimationFrame(() => inputRef.current?.select())
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [workspace])

  const toggle = useCallback((key: keyof Options) => setOptions((o) => ({ ...o, [key]: !o[key] })), [])

  const open = (hit: HitView) => {
    if (onOpen) onOpen(hit.path)
    else workspace.dispatch({ type: 'open', path: hit.path })
    EditorController.for(workspace).reveal(hit.path, hit.line, hit.column, hit.length)
  }

  const onPanelKey = (e: ReactKeyboardEvent) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      const key = ({ KeyC: 'caseSensitive', KeyW: 'wholeWord', KeyR: 'regex' } as const)[e.code as 'KeyC' | 'KeyW' | 'KeyR']
      if (key) {
        e.preventDefault()
        e.stopPropagation()
        toggle(key)
      }
    }
  }

  const onResultsKey = (e: ReactKeyboardEvent) => {
    const items = [...(resultsRef.current?.querySelectorAll<HTMLElement>('[data-nav]') ?? [])]
    const i = items.indexOf(document.activeElement as HTMLElement)
    const el = items[i]
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (e.key === 'ArrowUp' && i <= 0) inputRef.current?.focus()
      else items[Math.min(items.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))]?.focus()
    } else if (el?.dataset.group !== undefined && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault()
      const path = el.dataset.group
      setCollapsed((c) => {
        const next = new Set(c)
        if (e.key === 'ArrowLeft') next.add(path)
        else next.delete(path)
        return next
      })
    } else if (e.key === 'ArrowLeft' && el?.dataset.parent) {
      e.preventDefault()
      resultsRef.current?.querySelector<HTMLElement>(`[data-group="${CSS.escape(el.dataset.parent)}"]`)?.focus()
    }
  }

  const groups = outcome?.ok ? outcome.groups : []
  const error = outcome && !outcome.ok ? outcome.error : undefined

  return (
    <section className="search-panel" aria-label="Search in files" onKeyDown={onPanelKey} data-testid="search.panel">
      <div className="search-query">
        <div className="search-field" data-invalid={error ? 'true' : undefined}>
          <input
            ref={inputRef}
            className="search-input"
            data-testid="search.input"
            type="search"
            autoFocus
            placeholder="Search"
            aria-label="Search in files"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'search-error' : undefined}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault()
                resultsRef.current?.querySelector<HTMLElement>('[data-nav]')?.focus()
              } else if (e.key === 'Escape' && query) {
                e.preventDefault()
                setQuery('')
              }
            }}
          />
          <div className="search-toggles">
            <Toggle label="Match case" keys="Alt+C" pressed={options.caseSensitive} onClick={() => toggle('caseSensitive')} testId="search.case">
              Aa
            </Toggle>
            <Toggle label="Match whole word" keys="Alt+W" pressed={options.wholeWord} onClick={() => toggle('wholeWord')} testId="search.word">
              <span className="search-word">ab</span>
            </Toggle>
            <Toggle label="Use regular expression" keys="Alt+R" pressed={options.regex} onClick={() => toggle('regex')} testId="search.regex">
              .*
            </Toggle>
          </div>
        </div>
        {error && (
          <p className="search-error" id="search-error" role="alert" data-testid="search.error">
            {error}
          </p>
        )}
        {outcome?.ok && (
          <p className="search-summary" role="status" data-testid="search.summary">
            {summary(outcome.total, outcome.groups.length, outcome.truncated)}
          </p>
        )}
      </div>
      <div className="search-results" ref={resultsRef} onKeyDown={onResultsKey}>
        {groups.map((g) => {
          const slash = g.path.lastIndexOf('/')
          const isCollapsed = collapsed.has(g.path)
          return (
            <div key={g.path} className="search-group" role="group" aria-label={g.path}>
              <button
                type="button"
                className="search-file"
                data-nav=""
                data-group={g.path}
                aria-expanded={!isCollapsed}
                title={g.path}
                onClick={() =>
                  setCollapsed((c) => {
                    const next = new Set(c)
                    if (isCollapsed) next.delete(g.path)
                    else next.add(g.path)
                    return next
                  })
                }
              >
                <svg className="search-chevron" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                  <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                <FileIcon icon={fileIconFor(g.path)} />
                <span className="search-file-name">{g.path.slice(slash + 1)}</span>
                {slash > 0 && <span className="search-file-dir">{g.path.slice(0, slash)}</span>}
                <span className="search-count" aria-label={`${g.hits.length} results`}>
                  {g.hits.length}
                </span>
              </button>
              {!isCollapsed &&
                g.hits.map((h) => (
                  <button
                    type="button"
                    key={`${h.line}:${h.column}`}
                    className="search-hit"
                    data-nav=""
                    data-parent={g.path}
                    data-testid="search.hit"
                    data-path={h.path}
                    data-line={h.line}
                    title={`${h.path}:${h.line}:${h.column}`}
                    onClick={() => open(h)}
                  >
                    <span className="search-hit-text">
                      {h.before}
                      <mark>{h.match}</mark>
                      {h.after}
                    </span>
                    <span className="search-hit-line" aria-hidden="true">
                      {h.line}
                    </span>
                  </button>
                ))}
            </div>
          )
        })}
      </div>
    </section>
  )
}

export default SearchPanel

function Toggle(props: { label: string; keys: string; pressed: boolean; onClick: () => void; testId: string; children: ReactNode }) {
  return (
    <button
      type="button"
      className="search-toggle"
      aria-pressed={props.pressed}
      aria-label={props.label}
      title={`${props.label} (${props.keys})`}
      data-testid={props.testId}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  )
}
