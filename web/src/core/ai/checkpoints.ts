/// Checkpoints of the assistant's turns, in Yjs terms, so "Undo turn" restores the files exactly, deletes the files
/// the turn created, and keeps working after a reload and after the edits have synced.
///
/// A `Y.UndoManager` does not survive a reload and deleted Yjs content is garbage-collected, so each applied edit
/// records its own inverse: the range of the file the turn's edits produced, as two `Y.RelativePosition`s (they name
/// item ids, so they survive reloads, sync and concurrent edits), with the text that range held before the turn and
/// the text the turn left there. Edits of one turn that touch or overlap merge into one range, so undoing them is
/// exact whatever order they came in. Files the turn created or deleted are recorded whole.
import * as Y from 'yjs'
import { z } from 'zod'
import { minimalSplice } from '../search/replace.ts'

import { AI_ORIGIN, AI_UNDO_ORIGIN } from './origins.ts'
export { AI_ORIGIN, AI_UNDO_ORIGIN } from './origins.ts'

type FileValue = Y.Text | Uint8Array

const IdSchema = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() })
/// `Y.relativePositionToJSON`'s shape.
export const RelPosSchema = z.object({ type: IdSchema.optional(), tname: z.string().optional(), item: IdSchema.optional(), assoc: z.number().int().optional() })
export type RelPos = z.infer<typeof RelPosSchema>

/// A range of a file the turn changed: between `start` and `end` it left `after`, where `before` was.
export const HunkSchema = z.object({ start: RelPosSchema, end: RelPosSchema, before: z.string(), after: z.string() })
export type Hunk = z.infer<typeof HunkSchema>

/// What one turn did to one file.
export const FileRecordSchema = z.discriminatedUnion('kind', [
  z.object({ path: z.string(), kind: z.literal('edited'), hunks: z.array(HunkSchema) }),
  /// The turn created the file; `after` is what it left in it.
  z.object({ path: z.string(), kind: z.literal('created'), after: z.string() }),
  z.object({ path: z.string(), kind: z.literal('deleted'), before: z.string() }),
  /// Deleted, then created anew by the same turn.
  z.object({ path: z.string(), kind: z.literal('replaced'), before: z.string(), after: z.string() }),
])
export type FileRecord = z.infer<typeof FileRecordSchema>

interface Range {
  start: number
  end: number
}

/// Resolves a hunk against the doc: its current range in `text`, or undefined when an anchor is gone or now points
/// into another file (the file was deleted and made anew).
function resolve(doc: Y.Doc, text: Y.Text, hunk: Hunk): Range | undefined {
  const start = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(hunk.start), doc)
  const end = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(hunk.end), doc)
  if (!start || !end || start.type !== text || end.type !== text) return undefined
  return { start: start.index, end: Math.max(start.index, end.index) }
}

/// Anchors for the range [from, to) of `text`: the first character of the range and the one it ends after. An empty
/// range (text the turn only deleted) has one anchor, the character before it (the one after, at the start of the
/// file), so text added at the end of the file later does not come between.
function anchors(text: Y.Text, from: number, to: number): Pick<Hunk, 'start' | 'end'> {
  if (to === from) {
    const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, from, from > 0 ? -1 : 0)) as RelPos
    return { start: at, end: at }
  }
  const start = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, from, 0)) as RelPos
  return { start, end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, to, -1)) as RelPos }
}

/// Applies the assistant's edits to the project doc and records their inverse into a turn's records. Call it inside
/// one transaction (origin `AI_ORIGIN`); `records` is the turn's state before, `result()` after.
export class CheckpointWriter {
  private readonly records: Map<string, FileRecord>

  constructor(
    private readonly files: Y.Map<FileValue>,
    records: readonly FileRecord[] = [],
  ) {
    this.records = new Map(records.map((r) => [r.path, r]))
  }

  private get doc(): Y.Doc {
    const doc = this.files.doc
    if (!doc) throw new RangeError('CheckpointWriter needs a files map that is part of a Y.Doc')
    return doc
  }

  result(): FileRecord[] {
    return [...this.records.values()]
  }

  private text(path: string): Y.Text {
    const value = this.files.get(path)
    if (!(value instanceof Y.Text)) throw new RangeError(`${path} is not a text file of the project`)
    return value
  }

  /// Replaces `remove` characters at `at` of `path` with `insert`.
  splice(path: string, at: number, remove: number, insert: string): void {
    const text = this.text(path)
    if (at < 0 || remove < 0 || at + remove > text.length) throw new RangeError(`Invalid splice ${at}+${remove} of ${path} (length ${text.length})`)
    const rec = this.records.get(path)
    if (rec?.kind === 'created' || rec?.kind === 'replaced') {
      apply(text, at, remove, insert)
      this.records.set(path, { ...rec, after: text.toString() })
      return
    }
    if (rec?.kind === 'deleted') {
      // Someone else made the file again since the turn deleted it: that file is theirs, not the turn's to record.
      apply(text, at, remove, insert)
      return
    }
    const current = text.toString()
    const resolved = (rec?.hunks ?? []).map((hunk) => ({ hunk, range: resolve(this.doc, text, hunk) }))
    // Merge every hunk the splice touches or overlaps, growing the range until no other one touches it.
    let from = at
    let to = at + remove
    const merged = new Set<number>()
    for (let grew = true; grew; ) {
      grew = false
      resolved.forEach(({ range }, i) => {
        if (!range || merged.has(i) || range.start > to || range.end < from) return
        merged.add(i)
        from = Math.min(from, range.start)
        to = Math.max(to, range.end)
        grew = true
      })
    }
    // What the merged range held before the turn: the merged hunks' `before`, and untouched text between them.
    let before = ''
    let pos = from
    for (const { hunk, range } of resolved.filter((_, i) => merged.has(i)).sort((a, b) => a.range!.start - b.range!.start)) {
      before += current.slice(pos, range!.start) + hunk.before
      pos = range!.end
    }
    before += current.slice(pos, to)
    apply(text, at, remove, insert)
    const end = to - remove + insert.length
    const after = text.toString().slice(from, end)
    const hunks = resolved.filter((_, i) => !merged.has(i)).map((r) => r.hunk)
    if (before !== after) hunks.push({ ...anchors(text, from, end), before, after })
    if (hunks.length) this.records.set(path, { path, kind: 'edited', hunks })
    else this.records.delete(path)
  }

  /// Creates `path` with `content`.
  create(path: string, content: string): void {
    if (this.files.has(path)) throw new RangeError(`${path} already exists`)
    this.files.set(path, new Y.Text(content))
    const rec = this.records.get(path)
    if (!rec) this.records.set(path, { path, kind: 'created', after: content })
    else if (rec.kind === 'deleted') this.records.set(path, { path, kind: 'replaced', before: rec.before, after: content })
    else this.records.set(path, { path, kind: 'created', after: content })
  }

  /// Deletes the text file `path`.
  delete(path: string): void {
    const text = this.text(path)
    const current = text.toString()
    const rec = this.records.get(path)
    if (!rec) this.records.set(path, { path, kind: 'deleted', before: current })
    else if (rec.kind === 'edited') this.records.set(path, { path, kind: 'deleted', before: unapply(this.doc, text, current, rec.hunks) })
    else if (rec.kind === 'created') this.records.delete(path)
    else if (rec.kind === 'replaced') this.records.set(path, { path, kind: 'deleted', before: rec.before })
    this.files.delete(path)
  }
}

function apply(text: Y.Text, at: number, remove: number, insert: string): void {
  if (remove) text.delete(at, remove)
  if (insert) text.insert(at, insert)
}

/// `current` with each hunk's range put back to what it held before the turn (as text; the doc is not touched).
function unapply(doc: Y.Doc, text: Y.Text, current: string, hunks: readonly Hunk[]): string {
  const ranges = hunks.flatMap((hunk) => {
    const range = resolve(doc, text, hunk)
    return range ? [{ hunk, range }] : []
  })
  let out = current
  for (const { hunk, range } of ranges.sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, range.start) + hunk.before + out.slice(range.end)
  return out
}

export interface UndoReport {
  /// Files put back as they were before the turn (created ones deleted).
  restored: string[]
  /// Files that changed since in the turn's ranges (or were deleted, or made again), with what was done.
  differs: Array<{ path: string; reason: string }>
}

/// Undoes a turn's records in one transaction (origin `AI_UNDO_ORIGIN`): each range goes back to the text it held
/// before the turn, files the turn created are deleted and files it deleted are made again. Where someone changed a
/// range or a file since, that part is left as it is and reported.
export function undoRecords(files: Y.Map<FileValue>, records: readonly FileRecord[]): UndoReport {
  const doc = files.doc
  if (!doc) throw new RangeError('undoRecords needs a files map that is part of a Y.Doc')
  const report: UndoReport = { restored: [], differs: [] }
  const differs = (path: string, reason: string) => report.differs.push({ path, reason })
  doc.transact(() => {
    for (const rec of records) {
      const value = files.get(rec.path)
      const current = value instanceof Y.Text ? value.toString() : undefined
      switch (rec.kind) {
        case 'edited': {
          if (!(value instanceof Y.Text)) {
            differs(rec.path, value ? 'it is a binary file now' : 'it was deleted since')
            break
          }
          let changed = 0
          const ranges = rec.hunks.map((hunk) => ({ hunk, range: resolve(doc, value, hunk) }))
          for (const { hunk, range } of ranges.sort((a, b) => (b.range?.start ?? -1) - (a.range?.start ?? -1))) {
            if (!range || current!.slice(range.start, range.end) !== hunk.after) {
              changed++
              continue
            }
            const s = minimalSplice(range.start, hunk.after, hunk.before)
            if (s) apply(value, s.at, s.remove, s.insert)
          }
          if (changed) differs(rec.path, `${changed === rec.hunks.length ? 'every' : `${changed} of ${rec.hunks.length}`} changed place${rec.hunks.length > 1 ? 's' : ''} was edited since; kept as it is there`)
          else report.restored.push(rec.path)
          break
        }
        case 'created':
          if (value === undefined) report.restored.push(rec.path)
          else if (current === rec.after) {
            files.delete(rec.path)
            report.restored.push(rec.path)
          } else differs(rec.path, 'it was edited since the turn created it; kept')
          break
        case 'deleted':
        case 'replaced':
          if (value === undefined || (rec.kind === 'replaced' && current === rec.after)) {
            files.set(rec.path, new Y.Text(rec.before))
            report.restored.push(rec.path)
          } else if (current === rec.before) report.restored.push(rec.path)
          else differs(rec.path, rec.kind === 'deleted' ? 'a file of that name exists again; kept' : 'it was edited since the turn wrote it; kept')
          break
      }
    }
  }, AI_UNDO_ORIGIN)
  return report
}
