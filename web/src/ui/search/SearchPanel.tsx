import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent } from 'react'
import * as Y from 'yjs'
import { globFilter } from '../../core/search/globs.ts'
import { applyReplacements, REPLACE_ORIGIN, type ReplaceTarget } from '../../core/search/replace.ts'
import { searchText } from '../../core/search/search.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import type { Store } from '../../core/store.ts'
import type { SearchViewState } from '../../core/search/searchView.ts'
import { ConfirmDialog } from '../tree/ConfirmDialog.tsx'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import { useEditorController } from '../editor/editorControllerContext.tsx'
import {
  isSearchable,
  replaceAllQuestion,
  replacementPreview,
  replaceReport,
  searchWorkspace,
  summary,
  type FileGroup,
  type HitView,
  type SearchOutcome,
} from './searchResults.ts'
import '../tree/tree.css'
import { ChevronIcon, ReplaceAllIcon, ReplaceIcon } from '../common/icons.tsx'
import { useFocusContext } from '../commands/hooks.ts'
import './search.css'

export interface SearchPanelProps {
  workspace: Workspace
  /// What the panel held when it was last hidden, for this project (the project's session keeps it).
  memory: Store<SearchViewState>
  /// Opens a file; defaults to dispatching `open`. The panel then reveals and selects the hit in the editor.
  onOpen?: (path: string) => void
  /// Bumped by Ctrl+Shift+H: show the replace field and focus it.
  replaceRequest?: number
  /// Bumped by Ctrl+Shift+F: focus the query.
  searchRequest?: number
}

const DEBOUNCE_MS = 200
/// The search stops after this many matches and says so; Replace All replaces those.
const LIMIT = 20_000
/// Result rows rendered at first and per "Show more", so a 20,000-match search stays responsive.
const ROWS_PAGE = 1000

type Options = SearchViewState['options']

interface Result {
  outcome: SearchOutcome
  /// The inputs it was computed from, to tell whether it is current.
  key: string
}

/// Find and replace in files (Ctrl+Shift+F, Ctrl+Shift+H), VS Code's search view: a query with match case / whole
/// word / regex toggles (Alt+C / Alt+W / Alt+R), a replace field (regex replacements take $1, $&, $<name>), files to
/// include / exclude (Ctrl+Shift+J), results grouped by file with the replacement previewed. Replace one match or a
/// file's (Ctrl+Shift+1 on the row), or all (Ctrl+Alt+Enter, confirmed). Re-runs as files change; a replace never
/// lands where a file changed since the search.
export function SearchPanel({ workspace, memory: remembered, onOpen, replaceRequest = 0, searchRequest = 0 }: SearchPanelProps) {
  const editor = useEditorController()
  const [memory] = useState(() => remembered.get())
  const [query, setQuery] = useState(() => editor.selectionText() ?? memory.query)
  const [replaceText, setReplaceText] = useState(memory.replace)
  const [showReplace, setShowReplace] = useState(memory.showReplace || replaceRequest > 0)
  const [showDetails, setShowDetails] = useState(memory.showDetails)
  const [include, setInclude] = useState(memory.include)
  const [exclude, setExclude] = useState(memory.exclude)
  const [options, setOptions] = useState<Options>(memory.options)
  const [result, setResult] = useState<Result | undefined>()
  const [report, setReport] = useState<string | undefined>()
  const [confirm, setConfirm] = useState<Result | undefined>()
  const [rows, setRows] = useState(ROWS_PAGE)
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const [filesVersion, setFilesVersion] = useState(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const replaceRef = useRef<HTMLInputElement>(null)
  const resultsRef = useRef<HTMLDivElement>(null)
  const panelRef = useRef<HTMLElement>(null)
  // Alt+C / Alt+W / Alt+R are the panel's toggles, not the editor tabs' keys.
  useFocusContext(panelRef, 'searchViewFocus')
  /// Index of the result row to focus once the results re-render (after a replace from the list).
  const refocus = useRef<number | undefined>(undefined)

  useEffect(() => {
    remembered.update(() => ({ query, replace: replaceText, showReplace, showDetails, include, exclude, options }))
  }, [remembered, query, replaceText, showReplace, showDetails, include, exclude, options])

  // Files changed: search again (debounced with the inputs below).
  useEffect(() => {
    const bump = () => setFilesVersion((v) => v + 1)
    workspace.files.observeDeep(bump)
    return () => workspace.files.unobserveDeep(bump)
  }, [workspace])

  const key = JSON.stringify([query, options, include, exclude, showReplace ? replaceText : null])

  /// Runs the search on the files as they are now.
  const compute = useCallback((): Result => {
    const globs = globFilter(include, exclude)
    if (!globs.ok) return { key, outcome: { ok: false, error: globs.error } }
    const files: Array<[string, string]> = []
    for (const [path, value] of workspace.files.entries()) {
      if (!(value instanceof Y.Text)) continue
      const text = value.toString()
      if (isSearchable(path, text)) files.push([path, text])
    }
    const outcome = searchWorkspace(files, query, {
      ...options,
      limit: LIMIT,
      ...(globs.active ? { filter: globs.filter } : {}),
      ...(showReplace ? { replace: replaceText } : {}),
    })
    return { key, outcome }
  }, [workspace, key, query, options, include, exclude, showReplace, replaceText])

  useEffect(() => {
    if (!query) {
      setResult(undefined)
      return
    }
    const t = setTimeout(() => setResult(compute()), DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [query, compute, filesVersion])

  // A new result: show its first page of rows; after a replace from the list, focus stays at the same place.
  useLayoutEffect(() => {
    setRows(ROWS_PAGE)
    const i = refocus.current
    if (i === undefined) return
    refocus.current = undefined
    const items = navItems()
    ;(items[Math.min(i, items.length - 1)] ?? inputRef.current)?.focus()
  }, [result])

  // Ctrl+Shift+F (Search: Find in Files, also when the panel is already shown): the query, selected; the editor's
  // selection becomes the query, like VS Code.
  useEffect(() => {
    if (!searchRequest) return
    const selection = editor.selectionText()
    if (selection) setQuery(selection)
    requestAnimationFrame(() => inputRef.current?.select())
  }, [editor, searchRequest])

  // Ctrl+Shift+H (Search: Replace in Files): the replace field, focused; the query from the selection.
  useEffect(() => {
    if (!replaceRequest) return
    const selection = editor.selectionText()
    if (selection) setQuery(selection)
    setShowReplace(true)
    requestAnimationFrame(() => (selection || inputRef.current?.value ? replaceRef.current : inputRef.current)?.select())
  }, [editor, replaceRequest])

  const toggle = useCallback((key: keyof Options) => setOptions((o) => ({ ...o, [key]: !o[key] })), [])

  function navItems(): HTMLElement[] {
    return [...(resultsRef.current?.querySelectorAll<HTMLElement>('[data-nav]') ?? [])]
  }

  const open = (hit: HitView) => {
    if (onOpen) onOpen(hit.path)
    else workspace.dispatch({ type: 'open', path: hit.path })
    editor.reveal(hit.path, hit.line, hit.column, hit.length)
  }

  /// Replaces `targets` (hits of `from`, which must be current) and searches again at once.
  const replace = (from: Result, targets: readonly ReplaceTarget[]) => {
    if (!from.outcome.ok || !targets.length) return
    const texts = from.outcome.texts
    const r = applyReplacements(workspace.files, targets, {
      origin: REPLACE_ORIGIN,
      searched: (path) => texts.get(path),
      recheck: (path, text) => searchText([[path, text]], query, { ...options, replace: replaceText }),
    })
    setReport(replaceReport(r))
    setResult(compute())
  }

  /// The current result, computed now if the inputs changed since it was shown (the debounce has not run yet).
  const current = (): Result | undefined => {
    if (!query || !showReplace) return undefined
    return result?.key === key ? result : compute()
  }

  const replaceOne = (hit: HitView) => {
    const now = current()
    if (!now?.outcome.ok) return
    const still = now.outcome.groups.find((g) => g.path === hit.path)?.hits.find((h) => h.offset === hit.offset && h.text === hit.text)
    refocus.current = Math.max(0, navItems().indexOf(document.activeElement as HTMLElement))
    if (still) replace(now, [still])
    else {
      setReport(replaceReport({ replaced: 0, files: 0, stale: 1, staleFiles: [hit.path] }))
      setResult(now)
    }
  }

  const replaceFile = (group: FileGroup) => {
    const now = current()
    if (!now?.outcome.ok) return
    refocus.current = Math.max(0, navItems().indexOf(document.activeElement as HTMLElement))
    replace(now, now.outcome.groups.find((g) => g.path === group.path)?.hits ?? [])
  }

  const askReplaceAll = () => {
    const now = current()
    if (!now?.outcome.ok || now.outcome.total === 0) return
    setResult(now)
    setConfirm(now)
  }

  const onPanelKey = (e: ReactKeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey
    if (e.altKey && !mod) {
      const key = ({ KeyC: 'caseSensitive', KeyW: 'wholeWord', KeyR: 'regex' } as const)[e.code as 'KeyC' | 'KeyW' | 'KeyR']
      if (key) {
        e.preventDefault()
        e.stopPropagation()
        toggle(key)
      }
    } else if (mod && e.altKey && e.key === 'Enter') {
      e.preventDefault()
      askReplaceAll()
    } else if (mod && e.shiftKey && !e.altKey && e.code === 'KeyJ') {
      e.preventDefault()
      setShowDetails((d) => !d)
    }
  }

  const onResultsKey = (e: ReactKeyboardEvent) => {
    const items = navItems()
    const i = items.indexOf(document.activeElement as HTMLElement)
    const el = items[i]
    const mod = e.ctrlKey || e.metaKey
    if (mod && e.shiftKey && e.code === 'Digit1' && el && showReplace) {
      e.preventDefault()
      el.closest('.search-row')?.querySelector<HTMLButtonElement>('[data-replace]')?.click()
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (e.key === 'ArrowUp' && i <= 0) inputRef.current?.focus()
      else items[Math.min(items.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))]?.focus()
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus()
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

  const outcome = query ? result?.outcome : undefined
  const groups = outcome?.ok ? outcome.groups : []
  const error = outcome && !outcome.ok ? outcome.error : undefined
  const globError = error?.startsWith('Invalid pattern') || error?.startsWith('Patterns are') ? error : undefined
  const queryError = globError ? undefined : error
  const canReplaceAll = showReplace && Boolean(outcome?.ok && outcome.total > 0)
  const filtered = Boolean(include.trim() || exclude.trim())

  let budget = rows
  let hidden = 0

  return (
    <section className="search-panel" aria-label="Search in files" onKeyDown={onPanelKey} data-testid="search.panel" ref={panelRef}>
      <div className="search-query">
        <div className="search-form">
          <button
            type="button"
            className="search-replace-toggle"
            aria-expanded={showReplace}
            aria-controls="search-replace-field"
            aria-label="Toggle Replace"
            title="Toggle Replace (Ctrl+Shift+H)"
            data-testid="search.toggle-replace"
            onClick={() => setShowReplace((s) => !s)}
          >
            <ChevronIcon />
          </button>
          <div className="search-fields">
            <div className="search-field" data-invalid={queryError ? 'true' : undefined}>
              <input
                ref={inputRef}
                className="search-input"
                data-testid="search.input"
                type="search"
                autoFocus
                placeholder="Search"
                aria-label="Search in files"
                aria-invalid={queryError ? true : undefined}
                aria-describedby={queryError ? 'search-error' : undefined}
                spellCheck={false}
                autoComplete="off"
                autoCapitalize="off"
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value)
                  setReport(undefined)
                }}
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
                <Toggle label="Match case" keys="Alt+C" pressed={options.caseSensitive} onClick={() => toggle('caseSensitive')} testId="search.case" glyph="Aa" />
                <Toggle label="Match whole word" keys="Alt+W" pressed={options.wholeWord} onClick={() => toggle('wholeWord')} testId="search.word" glyph="ab" glyphClass="search-word" />
                <Toggle label="Use regular expression" keys="Alt+R" pressed={options.regex} onClick={() => toggle('regex')} testId="search.regex" glyph=".*" />
              </div>
            </div>
            {queryError && (
              <p className="search-error" id="search-error" role="alert" data-testid="search.error">
                {queryError}
              </p>
            )}
            {showReplace && (
              <div className="search-replace" id="search-replace-field">
                <div className="search-field">
                  <input
                    ref={replaceRef}
                    className="search-input"
                    data-testid="search.replace"
                    type="text"
                    placeholder="Replace"
                    aria-label="Replace"
                    title={options.regex ? 'Replace: $1, $& and $<name> insert what the expression captured' : 'Replace'}
                    spellCheck={false}
                    autoComplete="off"
                    autoCapitalize="off"
                    value={replaceText}
                    onChange={(e) => {
                      setReplaceText(e.target.value)
                      setReport(undefined)
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'ArrowDown' && !e.altKey) {
                        e.preventDefault()
                        resultsRef.current?.querySelector<HTMLElement>('[data-nav]')?.focus()
                      }
                    }}
                  />
                </div>
                <button
                  type="button"
                  className="search-icon-button"
                  aria-label="Replace All"
                  title="Replace All (Ctrl+Alt+Enter)"
                  data-testid="search.replace-all"
                  disabled={!canReplaceAll}
                  onClick={askReplaceAll}
                >
                  <ReplaceAllIcon />
                </button>
              </div>
            )}
          </div>
        </div>
        <div className="search-details-bar">
          <button
            type="button"
            className="search-details-toggle"
            aria-expanded={showDetails}
            aria-controls="search-details"
            aria-label="Toggle search details"
            title="Files to include and exclude (Ctrl+Shift+J)"
            data-testid="search.toggle-details"
            data-active={filtered && !showDetails ? 'true' : undefined}
            onClick={() => setShowDetails((d) => !d)}
          >
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
              <circle cx="3.5" cy="8" r="1.2" fill="currentColor" />
              <circle cx="8" cy="8" r="1.2" fill="currentColor" />
              <circle cx="12.5" cy="8" r="1.2" fill="currentColor" />
            </svg>
          </button>
        </div>
        {showDetails && (
          <div className="search-details" id="search-details">
            <GlobField label="files to include" testId="search.include" placeholder="e.g. src/**, *.ts" value={include} onChange={setInclude} invalid={!!globError} />
            <GlobField label="files to exclude" testId="search.exclude" placeholder="e.g. **/*.test.ts, docs" value={exclude} onChange={setExclude} invalid={!!globError} />
            {globError && (
              <p className="search-error" id="search-glob-error" role="alert" data-testid="search.glob-error">
                {globError}
              </p>
            )}
          </div>
        )}
        <div role="status" className="search-status">
          {report && (
            <p className="search-report" data-testid="search.report">
              {report}
            </p>
          )}
          {outcome?.ok && (
            <p className="search-summary" data-testid="search.summary" data-truncated={outcome.truncated ? 'true' : undefined}>
              {summary(outcome.total, outcome.groups.length, outcome.truncated)}
              {outcome.total === 0 && filtered ? ' in the files included and not excluded' : ''}
            </p>
          )}
          {!query && <p className="search-hint">Type to search every text file{showReplace ? ' and replace what it finds' : ''}.</p>}
        </div>
      </div>
      <div className="search-results" ref={resultsRef} onKeyDown={onResultsKey} data-replacing={showReplace ? 'true' : undefined}>
        {groups.map((g) => {
          if (budget <= 0) {
            hidden += g.hits.length
            return null
          }
          budget--
          const slash = g.path.lastIndexOf('/')
          const isCollapsed = collapsed.has(g.path)
          const shown = isCollapsed ? [] : g.hits.slice(0, Math.max(0, budget))
          budget -= shown.length
          if (!isCollapsed) hidden += g.hits.length - shown.length
          return (
            <div key={g.path} className="search-group" role="group" aria-label={g.path} data-testid="search.group" data-path={g.path}>
              <div className="search-row">
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
                  <span className="search-count" data-testid="search.count" aria-label={`${g.hits.length} results`}>
                    {g.hits.length}
                  </span>
                </button>
                {showReplace && (
                  <button
                    type="button"
                    className="search-action"
                    tabIndex={-1}
                    data-replace=""
                    data-testid="search.replace-file"
                    aria-label={`Replace all ${g.hits.length} in ${g.path}`}
                    title="Replace All in File (Ctrl+Shift+1)"
                    onClick={() => replaceFile(g)}
                  >
                    <ReplaceAllIcon />
                  </button>
                )}
              </div>
              {shown.map((h) => (
                <div className="search-row" key={`${h.line}:${h.column}`}>
                  <button
                    type="button"
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
                      {h.replacement === undefined ? (
                        <mark>{h.match}</mark>
                      ) : (
                        <>
                          <del>{h.match}</del>
                          <span className="search-visually-hidden"> becomes </span>
                          <ins data-testid="search.replacement">{replacementPreview(h.replacement)}</ins>
                        </>
                      )}
                      {h.after}
                    </span>
                    <span className="search-hit-line" aria-hidden="true">
                      {h.line}
                    </span>
                  </button>
                  {showReplace && (
                    <button
                      type="button"
                      className="search-action"
                      tabIndex={-1}
                      data-replace=""
                      data-testid="search.replace-one"
                      aria-label={`Replace at line ${h.line}`}
                      title="Replace (Ctrl+Shift+1)"
                      onClick={() => replaceOne(h)}
                    >
                      <ReplaceIcon />
                    </button>
                  )}
                </div>
              ))}
            </div>
          )
        })}
        {hidden > 0 && (
          <button type="button" className="search-more" data-testid="search.more" onClick={() => setRows((r) => r + ROWS_PAGE)}>
            Show {Math.min(hidden, ROWS_PAGE).toLocaleString('en-US')} more of {hidden.toLocaleString('en-US')} hidden results
          </button>
        )}
      </div>
      {confirm?.outcome.ok && (
        <ConfirmDialog
          title={replaceAllQuestion(confirm.outcome.total, confirm.outcome.groups.length, replaceText)}
          confirmLabel="Replace"
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => {
            setConfirm(undefined)
            const outcome = confirm.outcome
            if (outcome.ok) replace(confirm, outcome.groups.flatMap((g) => g.hits))
          }}
        >
          {confirm.outcome.truncated ? (
            <p>The search stopped at {LIMIT.toLocaleString('en-US')} matches: these are replaced, and Replace All again finds the rest.</p>
          ) : (
            <p>Open editors undo it with Ctrl+Z.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  )
}

export default SearchPanel

/// A comma-separated glob list (files to include / exclude); an invalid list points at the one error message.
function GlobField(props: { label: string; testId: string; placeholder: string; value: string; onChange: (v: string) => void; invalid: boolean }) {
  return (
    <label className="search-label">
      {props.label}
      <div className="search-field" data-invalid={props.invalid ? 'true' : undefined}>
        <input
          className="search-input"
          data-testid={props.testId}
          type="text"
          placeholder={props.placeholder}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={props.invalid ? true : undefined}
          aria-describedby={props.invalid ? 'search-glob-error' : undefined}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    </label>
  )
}

function Toggle(props: { label: string; keys: string; pressed: boolean; onClick: () => void; testId: string; glyph: string; glyphClass?: string }) {
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
      {/* The glyph is drawn by CSS (content: attr(data-glyph) / ''): it is not words, and as text it would not match
          the label (axe label-content-name-mismatch). */}
      <span className={props.glyphClass} data-glyph={props.glyph} aria-hidden="true" />
    </button>
  )
}
