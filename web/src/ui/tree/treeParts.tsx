import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { FileIcon } from './FileIcon.tsx'
import { fileIconFor, folderIcon } from './fileIcons.ts'
import { renameSelection, type DraftRow } from './treeRows.ts'

/// Pixels of indent per tree level.
export const INDENT = 12

export function Guides({ depth }: { depth: number }) {
  if (!depth) return null
  return (
    <span className="tree-guides" aria-hidden="true">
      {Array.from({ length: depth }, (_, i) => (
        <span key={i} className="tree-guide" style={{ left: 4 + i * INDENT + 7 }} />
      ))}
    </span>
  )
}

export function ToolbarButton({ label, testId, onClick, children }: { label: string; testId: string; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="tree-tool" aria-label={label} title={label} data-testid={testId} onClick={onClick}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinecap="round" strokeLinejoin="round">
        {children}
      </svg>
    </button>
  )
}

/// The inline name input of a new file or folder; `onSubmit` returns an error message to show, or undefined.
export function DraftInput({ row, onSubmit, onCancel }: { row: DraftRow; onSubmit: (name: string) => string | undefined; onCancel: () => void }) {
  return (
    <div className="tree-row tree-draft" style={{ paddingLeft: 4 + row.depth * INDENT }} role="none">
      <Guides depth={row.depth} />
      <span className="tree-twistie" aria-hidden="true" />
      <FileIcon icon={row.kind === 'folder' ? folderIcon(false) : fileIconFor('')} />
      <NameInput initial="" label={row.kind === 'folder' ? 'New folder name' : 'New file name'} onSubmit={onSubmit} onCancel={onCancel} />
    </div>
  )
}

export function RenameInput({ name, onSubmit, onCancel }: { name: string; onSubmit: (name: string) => string | undefined; onCancel: () => void }) {
  return <NameInput initial={name} label={`Rename ${name}`} selection={renameSelection(name)} onSubmit={onSubmit} onCancel={onCancel} />
}

/// Enter submits (an error keeps the input open and shows it), Escape cancels, leaving the input submits when the
/// name is valid and cancels otherwise.
function NameInput(props: { initial: string; label: string; selection?: [number, number]; onSubmit: (name: string) => string | undefined; onCancel: () => void }) {
  const { initial, label, selection, onSubmit, onCancel } = props
  const [value, setValue] = useState(initial)
  const [error, setError] = useState<string | undefined>()
  const ref = useRef<HTMLInputElement>(null)
  const done = useRef(false)

  // Once, when the input appears.
  useEffect(() => {
    const el = ref.current
    if (!el) return
    el.focus()
    if (selection) el.setSelectionRange(selection[0], selection[1])
  }, [])

  const submit = (fromBlur: boolean) => {
    if (done.current) return
    if (fromBlur && (!value.trim() || value === initial)) {
      done.current = true
      return onCancel()
    }
    const problem = onSubmit(value)
    if (!problem) {
      done.current = true
      return
    }
    if (fromBlur) {
      done.current = true
      onCancel()
    } else setError(problem)
  }

  return (
    <span className="tree-input-wrap">
      <input
        ref={ref}
        className="tree-input"
        data-testid="tree.input"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'tree-input-error' : undefined}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          setError(undefined)
        }}
        onKeyDown={(e) => {
          e.stopPropagation()
          if (e.key === 'Enter') {
            e.preventDefault()
            submit(false)
          } else if (e.key === 'Escape') {
            e.preventDefault()
            done.current = true
            onCancel()
          }
        }}
        onBlur={() => submit(true)}
        onClick={(e) => e.stopPropagation()}
        onDragStart={(e) => e.preventDefault()}
      />
      {error && (
        <span className="tree-input-error" id="tree-input-error" role="alert" data-testid="tree.input-error">
          {error}
        </span>
      )}
    </span>
  )
}
