/// The assistant's staged edits: an overlay over the project's files (path → the changes proposed to it) that the
/// model's own later reads see, while the project doc stays as it was until the person accepts. Accepting replays
/// each change on the file as it is then (the person may have typed meanwhile) and applies it through a
/// `CheckpointWriter`, so the turn's checkpoint records it.
import * as Y from 'yjs'
import { z } from 'zod'
import { minimalSplice } from '../search/replace.ts'
import { Store } from '../store.ts'
import { AI_ORIGIN } from './checkpoints.ts'
import type { CheckpointWriter } from './checkpoints.ts'
import { occurrences } from './closestMatch.ts'

type FileValue = Y.Text | Uint8Array

/// The turn a change came from.
export const OpOriginSchema = z.object({ conversationId: z.string(), turnId: z.string() })
export type OpOrigin = z.infer<typeof OpOriginSchema>

export const StagedChangeSchema = z.discriminatedUnion('type', [
  /// `old` occurs exactly once in the file and becomes `new`.
  z.object({ type: z.literal('replace'), old: z.string().min(1), new: z.string(), ...OpOriginSchema.shape }),
  z.object({ type: z.literal('create'), content: z.string(), ...OpOriginSchema.shape }),
  z.object({ type: z.literal('delete'), ...OpOriginSchema.shape }),
])
export type StagedChange = z.infer<typeof StagedChangeSchema>

export const StagedFileSchema = z.object({
  path: z.string(),
  /// The file's text when its first change was staged (null: it did not exist): what the model's reads fall back to
  /// when the file has changed so that the changes no longer replay.
  base: z.string().nullable(),
  changes: z.array(StagedChangeSchema).min(1),
})
export type StagedFile = z.infer<typeof StagedFileSchema>

/// A file as the assistant's tools see it.
export type FileRead = { kind: 'text'; text: string } | { kind: 'binary'; bytes: number } | { kind: 'missing' }

export type Replayed = { ok: true; text: string | undefined } | { ok: false; message: string }

/// `changes` applied one after the other to `text` (undefined: no such file), as strings.
export function replay(text: string | undefined, changes: readonly StagedChange[]): Replayed {
  let current = text
  for (const c of changes) {
    switch (c.type) {
      case 'replace': {
        if (current === undefined) return { ok: false, message: 'the file no longer exists' }
        const found = occurrences(current, c.old).length
        if (found !== 1) return { ok: false, message: `the text to replace (${preview(c.old)}) ${found ? 'now occurs more than once' : 'is no longer there'}` }
        const at = current.indexOf(c.old)
        current = current.slice(0, at) + c.new + current.slice(at + c.old.length)
        break
      }
      case 'create':
        if (current !== undefined) return { ok: false, message: 'a file of that name exists now' }
        current = c.content
        break
      case 'delete':
        if (current === undefined) return { ok: false, message: 'the file no longer exists' }
        current = undefined
        break
    }
  }
  return { ok: true, text: current }
}

const preview = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s)

/// What a staged file does, for the review list.
export type StagedKind = 'edit' | 'create' | 'delete'
export function stagedKind(file: StagedFile): StagedKind {
  const last = file.changes.at(-1)!
  if (last.type === 'delete') return 'delete'
  return file.base === null ? 'create' : 'edit'
}

export interface StagedDiff {
  /// The file as the project has it now (undefined: no such file).
  original: string | undefined
  /// The file with the staged changes (undefined: deleted).
  proposed: string | undefined
  /// Why the changes no longer apply to the file as it is now (then `proposed` is based on the file as it was).
  conflict?: string
}

export interface AcceptReport {
  applied: string[]
  /// Files whose changes no longer apply (they stay staged): the person changed them since.
  conflicts: Array<{ path: string; message: string }>
}

/// The staged overlay of one project. `store` lists the staged files in the order they were first staged.
export class StagedEdits {
  readonly store = new Store<readonly StagedFile[]>([])

  constructor(private readonly files: Y.Map<FileValue>) {}

  /// Replaces the whole overlay (restored from storage).
  load(files: readonly StagedFile[]): void {
    this.store.update(() => [...files])
  }

  get(path: string): StagedFile | undefined {
    return this.store.get().find((f) => f.path === path)
  }

  /// The file as the project has it, without the overlay.
  private actual(path: string): FileRead {
    const value = this.files.get(path)
    if (value instanceof Y.Text) return { kind: 'text', text: value.toString() }
    if (value instanceof Uint8Array) return { kind: 'binary', bytes: value.byteLength }
    return { kind: 'missing' }
  }

  /// The file as the assistant sees it: the project's, with the staged changes.
  read(path: string): FileRead {
    const staged = this.get(path)
    if (!staged) return this.actual(path)
    const text = this.proposed(staged).text
    return text === undefined ? { kind: 'missing' } : { kind: 'text', text }
  }

  private proposed(staged: StagedFile): { text: string | undefined; conflict?: string } {
    const now = this.actual(staged.path)
    const replayed = replay(now.kind === 'text' ? now.text : undefined, staged.changes)
    if (replayed.ok) return { text: replayed.text }
    const fromBase = replay(staged.base ?? undefined, staged.changes)
    return { text: fromBase.ok ? fromBase.text : staged.base ?? undefined, conflict: replayed.message }
  }

  /// Every file path as the assistant sees it, sorted: the project's, plus staged creations, minus staged deletions.
  paths(): string[] {
    const out = new Set(this.files.keys())
    for (const f of this.store.get()) {
      if (this.read(f.path).kind === 'missing') out.delete(f.path)
      else out.add(f.path)
    }
    return [...out].sort()
  }

  /// Adds a change to `path` (the caller checked it against `read(path)`).
  stage(path: string, change: StagedChange): void {
    this.store.update((list) => {
      const existing = list.find((f) => f.path === path)
      if (existing) return list.map((f) => (f === existing ? { ...f, changes: [...f.changes, change] } : f))
      const now = this.actual(path)
      return [...list, { path, base: now.kind === 'text' ? now.text : null, changes: [change] }]
    })
  }

  /// What the review shows for `path`.
  diff(path: string): StagedDiff | undefined {
    const staged = this.get(path)
    if (!staged) return undefined
    const now = this.actual(path)
    const proposed = this.proposed(staged)
    return { original: now.kind === 'text' ? now.text : undefined, proposed: proposed.text, ...(proposed.conflict ? { conflict: proposed.conflict } : {}) }
  }

  /// Applies the staged changes of `paths` to the project in one transaction (origin `AI_ORIGIN`), each through the
  /// writer of the turn it came from. A file whose changes no longer apply stays staged and is reported.
  accept(paths: readonly string[], writerFor: (origin: OpOrigin) => CheckpointWriter): AcceptReport {
    const report: AcceptReport = { applied: [], conflicts: [] }
    const doc = this.files.doc
    if (!doc) throw new RangeError('StagedEdits needs a files map that is part of a Y.Doc')
    doc.transact(() => {
      for (const path of paths) {
        const staged = this.get(path)
        if (!staged) continue
        const now = this.actual(path)
        if (now.kind === 'binary') {
          report.conflicts.push({ path, message: `${path} is a binary file now` })
          continue
        }
        const replayed = replay(now.kind === 'text' ? now.text : undefined, staged.changes)
        if (!replayed.ok) {
          report.conflicts.push({ path, message: `${path} changed since the edit was proposed: ${replayed.message}` })
          continue
        }
        for (const change of staged.changes) applyChange(this.files, path, change, writerFor(change))
        report.applied.push(path)
      }
    }, AI_ORIGIN)
    const applied = new Set(report.applied)
    if (applied.size) this.store.update((list) => list.filter((f) => !applied.has(f.path)))
    return report
  }

  /// Drops the staged changes of `paths`; the project is left as it is.
  reject(paths: readonly string[]): void {
    const doomed = new Set(paths)
    this.store.update((list) => (list.some((f) => doomed.has(f.path)) ? list.filter((f) => !doomed.has(f.path)) : list))
  }

  /// Drops every staged change of one turn (a file keeps the changes other turns staged, when they still replay).
  rejectTurn(turnId: string): void {
    this.store.update((list) => {
      if (!list.some((f) => f.changes.some((c) => c.turnId === turnId))) return list
      return list.flatMap((f) => {
        const changes = f.changes.filter((c) => c.turnId !== turnId)
        return changes.length ? [{ ...f, changes }] : []
      })
    })
  }
}

function applyChange(files: Y.Map<FileValue>, path: string, change: StagedChange, writer: CheckpointWriter): void {
  switch (change.type) {
    case 'replace': {
      const text = (files.get(path) as Y.Text).toString()
      const s = minimalSplice(text.indexOf(change.old), change.old, change.new)
      if (s) writer.splice(path, s.at, s.remove, s.insert)
      break
    }
    case 'create':
      writer.create(path, change.content)
      break
    case 'delete':
      writer.delete(path)
      break
  }
}
