import { LIMITS } from '@slipway/shared'
import type * as Y from 'yjs'
import type { ViewSizes } from './doc-cache.ts'
import { DomainError } from './errors.ts'
import { measureFile } from './project-doc.ts'
import { quotaExceeded } from './projects.ts'
import { checkStorage } from './quotas.ts'
import type { QuotaVerdict, Quotas } from './quotas.ts'

/// What a batch of pushes changes in the files view: the new sizes of the files it wrote (unhashed), the files it
/// deleted, and, for files it measured, whether they are all ASCII.
export interface ViewChange {
  upserts: Array<{ path: string; size: number }>
  deletes: string[]
  ascii: Map<string, boolean>
}

/// The files view's change for the files a batch touched, read from the doc after it. An all-ASCII text edited with
/// ASCII only (`asciiDelta`) gets its new size without walking it (files grow to megabytes).
export function viewChange(doc: Y.Doc, view: ViewSizes, touched: Iterable<string>, asciiDelta: ReadonlyMap<string, number | null>): ViewChange {
  const change: ViewChange = { upserts: [], deletes: [], ascii: new Map() }
  for (const path of touched) {
    const added = asciiDelta.get(path)
    const old = view.sizes.get(path)
    if (added !== undefined && added !== null && old !== undefined && view.ascii.has(path)) {
      change.upserts.push({ path, size: old + added })
      continue
    }
    const measured = measureFile(doc, path)
    if (!measured) {
      change.deletes.push(path)
      continue
    }
    change.upserts.push({ path, size: measured.size })
    change.ascii.set(path, measured.ascii)
  }
  return change
}

export interface ProjectTotals {
  count: number
  bytes: number
}

/// Why a batch of pushes may not be stored.
export type PushRefusal =
  | { limit: 'file_bytes'; path: string; size: number; max: number }
  | { limit: 'project_bytes'; totals: ProjectTotals; max: number }
  | { limit: 'quota'; quota: Extract<QuotaVerdict, { ok: false }> }

/// Whether a batch fits, and if so the project's files and bytes after it.
export type PushVerdict = { ok: true; totals: ProjectTotals } | { ok: false; refusal: PushRefusal }

export interface PushLimitsInput {
  /// The files view before the batch.
  view: ViewSizes
  change: ViewChange
  /// The bytes the batch would append to the log, and whether it only deletes.
  push: { bytes: number; deletesOnly: boolean }
  /// What the project's log and all of its owner's logs hold now.
  stored: { projectLogBytes: number; userBytes: number }
  quotas: Quotas
  limits?: Pick<typeof LIMITS, 'maxFileBytes' | 'maxProjectBytes'>
}

/// The limits a push must keep, checked in order: each file's size, the project's bytes, then the storage quotas
/// (`checkStorage`). Pure: data in, a verdict out; the caller decides what a refusal means (a batch is tried push by
/// push, a single push is refused).
export function checkPushLimits(input: PushLimitsInput): PushVerdict {
  const { view, change, limits = LIMITS } = input
  for (const file of change.upserts) {
    if (file.size > limits.maxFileBytes) return { ok: false, refusal: { limit: 'file_bytes', path: file.path, size: file.size, max: limits.maxFileBytes } }
  }
  const totals = { count: view.sizes.size, bytes: view.bytes }
  for (const path of [...change.upserts.map((f) => f.path), ...change.deletes]) {
    const old = view.sizes.get(path)
    if (old !== undefined) {
      totals.count--
      totals.bytes -= old
    }
  }
  for (const file of change.upserts) {
    totals.count++
    totals.bytes += file.size
  }
  if (totals.bytes > limits.maxProjectBytes) return { ok: false, refusal: { limit: 'project_bytes', totals, max: limits.maxProjectBytes } }
  const quota = checkStorage(input.stored, input.push, input.quotas)
  if (!quota.ok) return { ok: false, refusal: { limit: 'quota', quota } }
  return { ok: true, totals }
}

/// The error a refused push answers.
export function pushRefused(refusal: PushRefusal): DomainError {
  switch (refusal.limit) {
    case 'file_bytes':
      return new DomainError('payload_too_large', `A file holds at most ${refusal.max} bytes`, { path: refusal.path, size: refusal.size })
    case 'project_bytes':
      return new DomainError('payload_too_large', `A project holds at most ${refusal.max} bytes`, refusal.totals)
    case 'quota':
      return quotaExceeded(refusal.quota)
    default:
      return unreachable(refusal)
  }
}

/// Brings the view up to date with a stored change (in place: the cache's copy travels with its doc).
export function applyViewChange(view: ViewSizes, change: ViewChange, totals: ProjectTotals): void {
  for (const path of change.deletes) {
    view.sizes.delete(path)
    view.ascii.delete(path)
  }
  for (const file of change.upserts) view.sizes.set(file.path, file.size)
  for (const [path, isAscii] of change.ascii) {
    if (isAscii) view.ascii.add(path)
    else view.ascii.delete(path)
  }
  view.bytes = totals.bytes
}

function unreachable(x: never): never {
  throw new RangeError(`Unexpected refusal ${JSON.stringify(x)}`)
}
