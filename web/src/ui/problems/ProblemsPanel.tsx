import { useEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent } from 'react'
import { describeCounts, groupProblems, type Problem, type ProblemGroup } from '../../core/problems/problems.ts'
import type { Store } from '../../core/store.ts'
import { ErrorIcon, InfoIcon, WarningIcon } from '../common/icons.tsx'
import type { ProblemsState } from '../../core/editor/EditorController.ts'
import { useStore } from '../hooks/useStore.ts'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import './problems.css'
import { useFocusContext } from '../commands/hooks.ts'

export interface ProblemsPanelProps {
  readonly problems: Store<ProblemsState>
  /// Opens the problem's file at its place (cursor there, revealed).
  readonly onOpen: (problem: Problem) => void
  /// Changes when the person asks for the panel (Ctrl+Shift+M, the status bar): the list (or the filter) takes focus.
  readonly focusRequest: number
}

type Row = { kind: 'file'; key: string; group: ProblemGroup } | { kind: 'problem'; key: string; problem: Problem; group: ProblemGroup }

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' } as const

/// VS Code's Problems panel: every problem of the project grouped by file (errors first, then by line), with a
/// filter. The list is a tree: ↑/↓ move, ←/→ collapse and expand a file, Enter or a click opens the problem in the
/// editor, Home/End jump; ↓ in the filter goes to the list.
export function ProblemsPanel({ problems, onOpen, focusRequest }: ProblemsPanelProps) {
  const state = useStore(problems)
  const [filter, setFilter] = useState('')
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const [focusKey, setFocusKey] = useState<string | undefined>()
  const treeRef = useRef<HTMLUListElement>(null)
  const filterRef = useRef<HTMLInputElement>(null)
  const panelRef = useRef<HTMLElement>(null)
  // Ctrl+Shift+M from here goes back to the editor.
  useFocusContext(panelRef, 'problemsFocus')

  const grouped = useMemo(() => groupProblems(state.problems, filter), [state.problems, filter])
  const rows = useMemo(() => {
    const out: Row[] = []
    for (const group of grouped.groups) {
      out.push({ kind: 'file', key: `f:${group.path}`, group })
      if (collapsed.has(group.path)) continue
      group.problems.forEach((problem, i) => out.push({ kind: 'problem', key: `p:${group.path}:${i}`, problem, group }))
    }
    return out
  }, [grouped, collapsed])
  // The row that takes Tab: the one last focused while it still exists, else the first.
  const current = rows.find((r) => r.key === focusKey)?.key ?? rows[0]?.key

  useEffect(() => {
    if (!focusRequest) return
    const row = treeRef.current?.querySelector<HTMLElement>('[tabindex="0"]')
    ;(row ?? filterRef.current)?.focus()
    // Only a new request moves focus, not new problems.
  }, [focusRequest])

  // At once when the row is drawn (a second ArrowDown right after the first, or a held key, must start from the row
  // the first one reached, not from where focus was a frame ago); after the next frame when it is not drawn yet.
  const focusRow = (key: string) => {
    setFocusKey(key)
    const row = () => treeRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)
    const now = row()
    if (now) now.focus()
    else requestAnimationFrame(() => row()?.focus())
  }
  const toggle = (path: string, open?: boolean) =>
    setCollapsed((c) => {
      const next = new Set(c)
      if (open ?? next.has(path)) next.delete(path)
      else next.add(path)
      return next
    })

  const onKeyDown = (e: ReactKeyboardEvent, row: Row) => {
    const i = rows.indexOf(row)
    let target: Row | undefined
    switch (e.key) {
      case 'ArrowDown':
        target = rows[i + 1]
        break
      case 'ArrowUp':
        target = rows[i - 1]
        if (!target) {
          e.preventDefault()
          filterRef.current?.focus()
          return
        }
        break
      case 'Home':
        target = rows[0]
        break
      case 'End':
        target = rows[rows.length - 1]
        break
      case 'ArrowRight':
        if (row.kind === 'file') {
          if (collapsed.has(row.group.path)) toggle(row.group.path, true)
          else target = rows[i + 1]
        }
        break
      case 'ArrowLeft':
        if (row.kind === 'file') toggle(row.group.path, false)
        else target = rows.find((r) => r.kind === 'file' && r.group === row.group)
        break
      case 'Enter':
      case ' ':
        if (row.kind === 'file') toggle(row.group.path)
        else onOpen(row.problem)
        break
      default:
        return
    }
    e.preventDefault()
    e.stopPropagation()
    if (target) focusRow(target.key)
  }

  const counts = describeCounts({
    errors: state.problems.filter((p) => p.severity === 'error').length,
    warnings: state.problems.filter((p) => p.severity === 'warning').length,
    infos: state.problems.filter((p) => p.severity === 'info').length,
  })

  return (
    <section className="problems" aria-label="Problems" data-testid="problems.panel" ref={panelRef}>
      <div className="problems-bar">
        <input
          ref={filterRef}
          className="problems-filter"
          type="search"
          value={filter}
          placeholder="Filter (e.g. text, ts2322, !exclude)"
          aria-label="Filter problems"
          data-testid="problems.filter"
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && rows[0]) {
              e.preventDefault()
              focusRow(current ?? rows[0].key)
            } else if (e.key === 'Escape' && filter) {
              e.preventDefault()
              e.stopPropagation()
              setFilter('')
            }
          }}
        />
        <span className="problems-summary" data-testid="problems.summary" aria-live="polite">
          {state.status === 'checking' && <span className="spinner small" aria-hidden="true" />}
          {filter.trim() && grouped.total ? `Showing ${grouped.shown} of ${grouped.total}` : state.status === 'ready' || state.problems.length ? counts : ''}
        </span>
      </div>
      <div className="problems-body">
        {rows.length > 0 ? (
          // A flat tree (levels and positions say the structure), so that each item's name is its own row's text.
          <ul className="problems-tree" role="tree" aria-label="Problems by file" ref={treeRef} data-testid="problems.tree">
            {rows.map((row) => {
              const { group } = row
              if (row.kind === 'file') {
                const open = !collapsed.has(group.path)
                const slash = group.path.lastIndexOf('/')
                const index = grouped.groups.indexOf(group)
                return (
                  <li
                    key={row.key}
                    role="treeitem"
                    aria-level={1}
                    aria-setsize={grouped.groups.length}
                    aria-posinset={index + 1}
                    aria-expanded={open}
                    tabIndex={current === row.key ? 0 : -1}
                    data-key={row.key}
                    data-testid="problems.file"
                    data-path={group.path}
                    className="problems-row problems-file"
                    title={`${group.path}: ${describeCounts(group.counts)}`}
                    onClick={() => toggle(group.path)}
                    onKeyDown={(e) => onKeyDown(e, row)}
                    onFocus={() => setFocusKey(row.key)}
                  >
                    <Chevron open={open} />
                    <FileIcon icon={fileIconFor(group.path)} />
                    <span className="problems-file-name">{group.path.slice(slash + 1)}</span>
                    {slash > 0 && <span className="problems-file-dir"> {group.path.slice(0, slash)}</span>}
                    <span className="problems-badge" data-testid="problems.file-count">
                      {' '}
                      {group.problems.length}
                      <span className="problems-sr"> {group.problems.length === 1 ? 'problem' : 'problems'}</span>
                    </span>
                  </li>
                )
              }
              const { problem } = row
              const code = problem.code ? `${problem.source ?? ''}(${problem.code})` : ''
              return (
                <li
                  key={row.key}
                  role="treeitem"
                  aria-level={2}
                  aria-setsize={group.problems.length}
                  aria-posinset={group.problems.indexOf(problem) + 1}
                  tabIndex={current === row.key ? 0 : -1}
                  data-key={row.key}
                  data-testid="problems.item"
                  data-severity={problem.severity}
                  data-line={problem.line}
                  className="problems-row problems-item"
                  title={problem.message}
                  onClick={() => {
                    setFocusKey(row.key)
                    onOpen(problem)
                  }}
                  onKeyDown={(e) => onKeyDown(e, row)}
                  onFocus={() => setFocusKey(row.key)}
                >
                  <SeverityIcon severity={problem.severity} />
                  <span className="problems-sr">{SEVERITY_LABEL[problem.severity]}: </span>
                  <span className="problems-message">{problem.message}</span>
                  {code && <span className="problems-code"> {code}</span>}
                  <span className="problems-pos">
                    {' '}
                    {problem.line}:{problem.column}
                  </span>
                </li>
              )
            })}
          </ul>
        ) : (
          <ProblemsEmpty state={state} filtered={!!filter.trim() && grouped.total > 0} onClear={() => setFilter('')} />
        )}
      </div>
    </section>
  )
}

function ProblemsEmpty({ state, filtered, onClear }: { state: ProblemsState; filtered: boolean; onClear: () => void }) {
  if (filtered)
    return (
      <div className="problems-empty" data-testid="problems.empty">
        No problems match the filter.{' '}
        <button type="button" className="problems-link" onClick={onClear}>
          Clear filter
        </button>
      </div>
    )
  if (state.status === 'off')
    return (
      <div className="problems-empty" data-testid="problems.empty">
        The project is checked once a file is open in the editor.
      </div>
    )
  if (state.status === 'checking')
    return (
      <div className="problems-empty" data-testid="problems.checking">
        <span className="spinner small" aria-hidden="true" /> Checking the project…
      </div>
    )
  return (
    <div className="problems-empty" data-testid="problems.empty">
      No problems have been detected in the workspace.
    </div>
  )
}

export function SeverityIcon({ severity }: { severity: Problem['severity'] }) {
  const Icon = severity === 'error' ? ErrorIcon : severity === 'warning' ? WarningIcon : InfoIcon
  return <Icon className={`problems-icon is-${severity}`} />
}

function Chevron({ open }: { open: boolean }) {
  return (
    <svg className="problems-chevron" data-open={open} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="m6 4 4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
