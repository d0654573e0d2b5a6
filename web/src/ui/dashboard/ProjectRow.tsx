import { useEffect, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { Link } from '../router.tsx'
import { forkedFromLine, projectMeta } from './projectMeta.ts'
import { decideRename, renameFailure } from './projectName.ts'

export interface ProjectRowProps {
  project: ProjectEntry
  /// How many files the server holds, for a project without a template (undefined while unknown).
  files?: number | undefined
  /// Resolves with an error message, or undefined when the name was saved.
  onRename: (project: ProjectEntry, name: string) => Promise<string | undefined>
  onDelete: (project: ProjectEntry) => void
}

type Editing = { draft: string; error?: string | undefined; saving?: boolean }

/// One project of the dashboard list: opens on click; F2 (or Rename) edits the name in place, Enter saves,
/// Escape gives up; a refused name stays in the field with the reason under it.
export function ProjectRow({ project: p, files, onRename, onDelete }: ProjectRowProps) {
  const [editing, setEditing] = useState<Editing>()
  const input = useRef<HTMLInputElement>(null)
  const row = useRef<HTMLLIElement>(null)
  // One save at a time: Enter and the blur that may follow it must not both send the name.
  const saving = useRef(false)
  const isEditing = editing !== undefined

  useEffect(() => {
    if (isEditing) input.current?.select()
  }, [isEditing])

  // False once the edit ended, for the blur events a removed or read-only field may still send.
  const active = useRef(false)
  const start = () => {
    active.current = true
    setEditing({ draft: p.name })
  }

  const stop = (focusLink: boolean) => {
    active.current = false
    setEditing(undefined)
    if (focusLink) setTimeout(() => row.current?.querySelector<HTMLElement>('.project-link')?.focus())
  }

  const commit = async (focusLink: boolean) => {
    if (!editing || saving.current || !active.current) return
    const decision = decideRename(editing.draft, p.name)
    if (decision.kind === 'unchanged') return stop(focusLink)
    if (decision.kind === 'invalid') return setEditing({ ...editing, error: decision.error })
    setEditing({ ...editing, saving: true, error: undefined })
    saving.current = true
    const error = await onRename(p, decision.name).finally(() => (saving.current = false))
    if (error) setEditing({ draft: editing.draft, error })
    else stop(focusLink)
  }

  const onRowKey = (e: KeyboardEvent) => {
    if (e.key === 'F2' && !isEditing) {
      e.preventDefault()
      start()
    }
  }

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      void commit(true)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      stop(true)
    }
  }

  const meta = projectMeta(p, files, Date.now())
  const errorId = `rename-error-${p.id}`

  return (
    <li ref={row} className="project-row" data-testid="dashboard.project" data-id={p.id} onKeyDown={onRowKey}>
      {isEditing ? (
        <div className="project-rename">
          <input
            ref={input}
            className="project-rename-input"
            value={editing.draft}
            onChange={(e) => setEditing({ draft: e.target.value })}
            onKeyDown={onInputKey}
            // Leaving the field saves a valid new name and drops anything else, like a file tree rename.
            onBlur={() => {
              if (!active.current) return
              const decision = decideRename(editing.draft, p.name)
              if (decision.kind === 'rename' && !editing.error) void commit(false)
              else if (!saving.current) stop(false)
            }}
            readOnly={editing.saving}
            maxLength={200}
            aria-label={`New name for ${p.name}`}
            aria-invalid={editing.error ? true : undefined}
            aria-describedby={editing.error ? errorId : undefined}
            data-testid="dashboard.rename-input"
          />
          {editing.error ? (
            <small className="project-rename-error" id={errorId} role="alert" data-testid="dashboard.rename-error">
              {editing.error}
            </small>
          ) : (
            <small className="project-rename-hint">{editing.saving ? 'Saving…' : 'Enter to save · Esc to cancel'}</small>
          )}
        </div>
      ) : (
        <Link to={`/p/${p.id}`} className="project-link">
          <strong data-testid="dashboard.project-name">{p.name}</strong>
          <small>{meta}</small>
          {p.forkedFrom && <small data-testid="dashboard.forked-from">{forkedFromLine(p.forkedFrom)}</small>}
        </Link>
      )}
      {!isEditing && (
        <button className="btn btn-ghost" onClick={start} aria-label={`Rename ${p.name}`} title="Rename (F2)" data-testid="dashboard.rename">
          Rename
        </button>
      )}
      <button className="btn btn-ghost" onClick={() => onDelete(p)} aria-label={`Delete ${p.name}`} data-testid="dashboard.delete">
        Delete
      </button>
    </li>
  )
}

/// The message for a failed library rename, or undefined when it worked.
export function renameResult(res: { ok: true } | { ok: false; kind: string; message: string }): string | undefined {
  return res.ok ? undefined : renameFailure(res)
}
