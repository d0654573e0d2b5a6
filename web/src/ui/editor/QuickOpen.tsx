import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react'
import { quickOpen, type FileMatch } from '../../core/search/search.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { useStore } from '../hooks/useStore.ts'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import { EditorController } from './EditorController.ts'
import { parseQuickOpenQuery } from './quickOpenQuery.ts'
import './quickOpen.css'

export interface QuickOpenProps {
  workspace: Workspace
  /// Called when the palette should go away (Escape, a click outside, or after opening a file).
  onClose: () => void
  /// Opens a file; defaults to dispatching `open`. The palette then focuses the editor (and goes to `:line`).
  onOpen?: (path: string) => void
}

const LIMIT = 50
const PAGE = 8

/// The Ctrl+P / Ctrl+E "Go to file" palette: fuzzy file search with the matched characters highlighted, arrows to
/// choose, Enter to open, Escape to close. `name:12` or `name:12:5` also goes to that line (and column).
/// Rendered while open: the workbench mounts it on the shortcut and unmounts it on `onClose`.
export function QuickOpen({ workspace, onClose, onOpen }: QuickOpenProps) {
  const paths = useStore(workspace.store, (s) => s.paths)
  const openTabs = useStore(workspace.store, (s) => s.openTabs)
  const activeTab = useStore(workspace.store, (s) => s.activeTab)
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState(0)
  const listRef = useRef<HTMLUListElement>(null)
  const opened = useRef(false)
  const id = useId()
  const parsed = parseQuickOpenQuery(query)
  const file = parsed.kind === 'file' ? parsed.file : ''
  const lines = useLineCount(workspace, parsed.kind === 'line' ? activeTab : undefined)

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
  const results: readonly unknown[] = parsed.kind === 'line' ? (lineTarget ? [lineTarget] : []) : files

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
        if (opened.current) EditorController.for(workspace).focus()
        else if (previous?.isConnected) previous.focus()
      })
    }
  }, [workspace, previous])

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [index, results])

  const choose = (path: string | undefined) => {
    if (!path) return
    if (onOpen) onOpen(path)
    else workspace.dispatch({ type: 'open', path })
    opened.current = true
    if (parsed.kind === 'file' && parsed.line !== undefined) EditorController.for(workspace).reveal(path, parsed.line, parsed.column ?? 1)
    onClose()
  }

  const goToLine = () => {
    if (!lineTarget || !activeTab) return
    opened.current = true
    EditorController.for(workspace).reveal(activeTab, lineTarget.line!, lineTarget.column ?? 1)
    onClose()
  }

  const accept = () => (parsed.kind === 'line' ? goToLine() : choose(files[index]?.path))

  const onKeyDown = (e: ReactKeyboardEvent) => {
    const n = results.length
    const move = (i: number) => {
      e.preventDefault()
      setSelected(n ? ((i % n) + n) % n : 0)
    }
    switch (e.key) {
      case 'ArrowDown':
        return move(index + 1)
      case 'ArrowUp':
        return move(index - 1)
      case 'PageDown':
        return move(Math.min(n - 1, index + PAGE))
      case 'PageUp':
        return move(Math.max(0, index - PAGE))
      case 'Enter':
        e.preventDefault()
        return accept()
      case 'Escape':
        e.preventDefault()
        e.stopPropagation()
        return onClose()
      case 'Tab':
        // The input is the only stop in this dialog.
        e.preventDefault()
        return
    }
  }

  return (
    <div className="quickopen-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()} data-testid="quickopen">
      <div className="quickopen" role="dialog" aria-modal="true" aria-label={parsed.kind === 'line' ? 'Go to line' : 'Go to file'}>
        <input
          className="quickopen-input"
          data-testid="quickopen.input"
          autoFocus
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${id}-list`}
          aria-activedescendant={results.length ? `${id}-${index}` : undefined}
          aria-autocomplete="list"
          placeholder="Search files by name (:line goes to a line of this file)"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setSelected(0)
          }}
          onKeyDown={onKeyDown}
        />
        <ul className="quickopen-list" role="listbox" id={`${id}-list`} aria-label={parsed.kind === 'line' ? 'Line' : 'Files'} ref={listRef}>
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
        </ul>
      </div>
    </div>
  )
}

export default QuickOpen

/// The file name, then its folder (dimmed), with matched characters marked.
function Highlighted({ path, positions }: { path: string; positions: readonly number[] }) {
  const slash = path.lastIndexOf('/')
  const marks = new Set(positions)
  const render = (from: number, to: number) => {
    const out: ReactNode[] = []
    let run = ''
    let runMarked = false
    const flush = (key: number) => {
      if (run) out.push(runMarked ? <mark key={key}>{run}</mark> : run)
      run = ''
    }
    for (let i = from; i < to; i++) {
      const m = marks.has(i)
      if (m !== runMarked) {
        flush(i)
        runMarked = m
      }
      run += path[i]
    }
    flush(to)
    return out
  }
  return (
    <span className="quickopen-text">
      <span className="quickopen-name">{render(slash + 1, path.length)}</span>
      {slash > 0 && <span className="quickopen-dir">{render(0, slash)}</span>}
    </span>
  )
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
