import { toBase64Url } from '@slipway/shared'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { Clock, DocTransaction, FileDigest, LogCompactor, ProjectRepo, StoredFile } from '../ports.ts'
import { COMPACT_AFTER_ROWS } from './compaction.ts'
import { DocCache } from './doc-cache.ts'
import type { ViewSizes } from './doc-cache.ts'
import { DomainError } from './errors.ts'
import { RefusedUpdate, applyClientUpdate, docFromUpdates, fileBytes, fileDigest, storedFile } from './project-doc.ts'
import { applyViewChange, checkPushLimits, pushRefused, viewChange } from './push-limits.ts'
import { PushQueue } from './push-queue.ts'
import type { BatchOutcome } from './push-queue.ts'
import { DEFAULT_QUOTAS } from './quotas.ts'
import type { Quotas } from './quotas.ts'

/// A batch gives the event loop back between pushes once it has applied for this long, so one batch of large
/// pushes never stalls every other request.
const YIELD_AFTER_MS = 20

/// A project that never goes quiet is compacted once its log has this many rows. A compaction mid-burst costs the
/// pushes dearly (a full one ships the whole doc out of the database and back, and rebuilds it: a fifth of the
/// server's CPU during a 20-client burst on 2 cores), while a long log costs only cold reads, a little: pushes and
/// pulls use the cached doc.
const BURST_COMPACT_ROWS = 32 * COMPACT_AFTER_ROWS

/// Compactions asked for meanwhile wait until this process has stored no push for this long.
const LULL_MS = 1000

/// A push waiting for its project's next transaction.
interface QueuedPush {
  update: Uint8Array
  /// The doc version the pushing client last pulled, if it said.
  base: number | undefined
}

/// What a push answers: the server's state vector after the merge, and, when the pushing client now holds the
/// whole doc, the ETag its next pull would get (see `SyncService.push`).
export interface PushResult {
  stateVector: Uint8Array
  etag?: string
}

/// A pull answer's ETag: names its content (the update and the server's state vector). A client that already holds
/// exactly this answer gets 304 and no body.
export function answerTag(update: Uint8Array, stateVector: Uint8Array): string {
  return `"${createHash('sha256').update(update).update(toBase64Url(stateVector)).digest('base64url').slice(0, 32)}"`
}

/// Merges clients' Yjs updates into the stored project doc and answers what a client lacks.
/// - Pushes to one project are applied one after another under the project's row lock, so pushes from any number
///   of server processes never lose each other's changes; a rejected update leaves nothing behind.
/// - Within a process, pushes that arrive while a project's transaction runs are merged into the next transaction
///   together (group commit, `PushQueue`): one lock, one log row, one commit for many pushes.
/// - A long log is compacted in the background (`LogCompactor`), at a lull in pushes.
export class SyncService {
  private readonly queue: PushQueue<QueuedPush, PushResult>
  /// Projects whose log wants compacting at the next lull, and the timer that waits for it.
  private readonly compactAtLull = new Set<string>()
  private lull: ReturnType<typeof setTimeout> | undefined
  private disposed = false

  private readonly cache: DocCache
  private readonly quotas: Quotas

  constructor(
    private readonly projects: ProjectRepo,
    private readonly clock: Clock,
    /// Merges the update log in the background once a push sees it long; it never takes the doc lock.
    private readonly compactor?: LogCompactor,
    options: { quotas?: Quotas; docCacheBytes?: number } = {},
  ) {
    this.quotas = options.quotas ?? DEFAULT_QUOTAS
    this.cache = new DocCache(undefined, options.docCacheBytes)
    this.queue = new PushQueue((projectId, take) => this.commit(projectId, take))
  }

  /// Merges `update`; resolves with the server's state vector afterwards. Idempotent: an update already merged
  /// adds nothing and stores nothing.
  ///
  /// `base`: the doc version (`pull`'s `version`) the client last pulled and applied. When the doc is still at that
  /// version as this push is merged, and no other push is merged with it, the client holds everything the doc holds
  /// afterwards: the result then carries the ETag of the pull answer it would get next (no structs, the doc's delete
  /// set), so that pull is a 304. Any other push in between, even one that only deletes (which moves no state
  /// vector), leaves the ETag out, and the client's next pull downloads the answer as usual.
  push(projectId: string, update: Uint8Array, base?: number): Promise<PushResult> {
    return this.queue.push(projectId, { update, base })
  }

  /// Stops the timer that waits for a lull to ask for compactions (those asked for are dropped: the next push past
  /// the threshold asks again). Pushes still in flight finish; call it once the server stops taking requests.
  dispose(): void {
    this.disposed = true
    clearTimeout(this.lull)
    this.lull = undefined
    this.compactAtLull.clear()
  }

  /// One transaction for a batch of pushes, taken once the doc lock is held. Each push is checked on its own: a bad
  /// one is refused and the others still land. A batch that together breaks a limit is split (nothing of it stored).
  private async commit(projectId: string, take: () => QueuedPush[]): Promise<BatchOutcome<PushResult>> {
    const outcome = await this.projects.withDocLock(projectId, async (tx) => {
      const batch = take()
      const before = tx.seq
      const at = await this.docAt(projectId, tx)
      let view = at.view
      let doc = at.doc
      try {
        const applied = await applyBatch(doc, batch, async (deltas) => {
          doc.destroy()
          doc = docFromUpdates([...(await tx.updatesAfter(0)), ...deltas])
          return doc
        })
        const { deltas, touched, asciiDelta, deletesOnly, results } = applied
        let seq = tx.seq
        let writes: Promise<unknown> = Promise.resolve()
        let storedBytes = 0
        if (deltas.length) {
          view ??= await this.viewSizes(tx)
          const change = viewChange(doc, view, touched, asciiDelta)
          const delta = deltas.length === 1 ? deltas[0]! : Y.mergeUpdates(deltas)
          // The storage quotas are checked against the log's bytes and the owner's, which the doc lock holds still.
          const verdict = checkPushLimits({
            view,
            change,
            push: { bytes: delta.byteLength, deletesOnly },
            stored: { projectLogBytes: tx.logBytes, userBytes: tx.ownerBytes },
            quotas: this.quotas,
          })
          if (!verdict.ok) {
            // Nothing was written: this transaction ends as it began, and the doc (holding the batch) is dropped.
            doc.destroy()
            if (batch.length > 1) return { split: true } as const
            // A refusal of the history quota asks for a compaction, which may bring the history back under it.
            if (verdict.refusal.limit === 'quota' && verdict.refusal.quota.quota === 'project_history_bytes') this.compactor?.request(projectId)
            return { split: false, refused: pushRefused(verdict.refusal) } as const
          }
          const appended = tx.append(delta, this.clock.now())
          // Left in flight: the commit goes out right behind them. Awaited after it, unless the transaction fails
          // first (its error then speaks for the writes).
          writes = Promise.all([appended.done, tx.writeFiles(change.upserts, change.deletes)])
          writes.catch(() => {})
          applyViewChange(view, change, verdict.totals)
          seq = appended.seq
          storedBytes = delta.byteLength
        }
        const rows = tx.updateRows + (deltas.length > 0 ? 1 : 0)
        const compactAfter = deltas.length > 0 && rows >= COMPACT_AFTER_ROWS
        const stateVector = Y.encodeStateVector(doc)
        const only = batch.length === 1 && results[0]!.ok ? batch[0]! : undefined
        const etag = only?.base === before ? answerTag(Y.encodeStateAsUpdate(doc, stateVector), stateVector) : undefined
        // Back in the cache before commit, tagged with the seq it reflects: a later lock holder reads the committed
        // seq and uses it only if this commit landed; pulls use it only once that seq is committed.
        this.cache.put(projectId, doc, seq, tx.logBytes + storedBytes, view)
        return { split: false, results, stateVector, etag, stored: deltas.length > 0, compactAfter, rows, writes } as const
      } catch (err) {
        doc.destroy()
        throw err
      }
    })
    if (outcome.split) return outcome
    if ('refused' in outcome) return { split: false, results: [{ ok: false, error: outcome.refused }] }
    // Committed only if every write ran: one that failed aborted the transaction, and its COMMIT rolled back.
    await outcome.writes
    if (outcome.stored) this.compactLater(projectId, outcome.compactAfter, outcome.rows)
    const answer: PushResult = outcome.etag ? { stateVector: outcome.stateVector, etag: outcome.etag } : { stateVector: outcome.stateVector }
    return { split: false, results: outcome.results.map((r) => (r.ok ? { ok: true, value: answer } : r)) }
  }

  /// While pushes keep coming, a compaction would rewrite rows the next commits make stale at once, and compete
  /// with them for CPU (its own, and the database's to ship a whole log back and forth). So it waits for a lull: no
  /// push stored by this process for `LULL_MS` (every stored push starts the wait again). A project whose log grows
  /// long meanwhile is compacted at once.
  private compactLater(projectId: string, wanted: boolean, rows: number): void {
    if (!this.compactor || this.disposed) return
    if (wanted && rows >= BURST_COMPACT_ROWS) {
      this.compactAtLull.delete(projectId)
      this.compactor.request(projectId)
    } else if (wanted) this.compactAtLull.add(projectId)
    if (this.compactAtLull.size === 0) return
    clearTimeout(this.lull)
    this.lull = setTimeout(() => {
      this.lull = undefined
      for (const id of this.compactAtLull) this.compactor?.request(id)
      this.compactAtLull.clear()
    }, LULL_MS)
    this.lull.unref()
  }

  /// The doc as committed at `tx.seq`: the cached one when it is exactly that, else rebuilt from the log; with the
  /// view's sizes when the cache knows them for that seq.
  private async docAt(projectId: string, tx: DocTransaction): Promise<{ doc: Y.Doc; view?: ViewSizes | undefined }> {
    const cached = this.cache.take(projectId)
    if (cached && cached.seq === tx.seq) return cached
    if (cached && cached.seq < tx.seq) {
      // Another process pushed meanwhile: its sizes are not these.
      for (const u of await tx.updatesAfter(cached.seq)) Y.applyUpdate(cached.doc, u)
      return { doc: cached.doc }
    }
    cached?.doc.destroy()
    return { doc: docFromUpdates(await tx.updatesAfter(0)) }
  }

  /// The files view's sizes as the database holds them (when the cache lacks them for this seq).
  private async viewSizes(tx: DocTransaction): Promise<ViewSizes> {
    const sizes = await tx.fileSizes()
    let bytes = 0
    for (const size of sizes.values()) bytes += size
    return { sizes, bytes, ascii: new Set() }
  }

  /// The committed doc and its version (seq): the cached one when it is current, else rebuilt from the log (and
  /// cached).
  private async committedDoc(projectId: string): Promise<{ doc: Y.Doc; seq: number }> {
    const head = await this.projects.readDoc(projectId, Number.MAX_SAFE_INTEGER)
    if (!head) throw new DomainError('not_found', 'Project not found')
    const cached = this.cache.peek(projectId, head.seq)
    if (cached) return { doc: cached, seq: head.seq }
    const all = await this.projects.readDoc(projectId, 0)
    if (!all) throw new DomainError('not_found', 'Project not found')
    const doc = docFromUpdates(all.updates)
    let bytes = 0
    for (const u of all.updates) bytes += u.byteLength
    this.cache.put(projectId, doc, all.seq, bytes)
    return { doc, seq: all.seq }
  }

  /// The files view, every file hashed: files changed since they were last listed are hashed from the doc under the
  /// doc lock (so the view and the doc are at the same seq) and their SHA-256s stored. Reflects every acknowledged
  /// push.
  async listFiles(projectId: string): Promise<FileDigest[]> {
    const listed = await this.projects.listFiles(projectId)
    if (listed.every((f): f is FileDigest => f.sha256 !== null)) return listed
    return this.projects.withDocLock(projectId, async (tx) => {
      const { doc, view } = await this.docAt(projectId, tx)
      try {
        const rows = await tx.listFiles()
        const hashed: FileDigest[] = []
        const files = rows.map((row) => {
          if (row.sha256 !== null) return row as FileDigest
          const digest = fileDigest(doc, row.path)
          if (!digest) throw new Error(`The files view of ${projectId} lists ${row.path}, which its doc at seq ${tx.seq} lacks`)
          hashed.push(digest)
          return digest
        })
        if (hashed.length) await tx.writeDigests(hashed)
        this.cache.put(projectId, doc, tx.seq, tx.logBytes, view)
        return files
      } catch (err) {
        doc.destroy()
        throw err
      }
    })
  }

  /// Runs `fn` on the committed doc (cached or rebuilt). `fn` only reads, synchronously: the doc is shared.
  async readCommitted<T>(projectId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    return fn((await this.committedDoc(projectId)).doc)
  }

  /// A file's bytes as committed, or `undefined` when the project has no such file.
  async readFile(projectId: string, path: string): Promise<StoredFile | undefined> {
    const bytes = fileBytes((await this.committedDoc(projectId)).doc, path)
    return bytes && storedFile(path, bytes)
  }

  /// What a client holding `stateVector` lacks (the whole doc for an empty one), the server's state vector, the
  /// answer's ETag (`answerTag`) and the version of the doc it was made from (see `push`'s `base`).
  async pull(
    projectId: string,
    stateVector: Uint8Array | undefined,
  ): Promise<{ update: Uint8Array; stateVector: Uint8Array; etag: string; version: number }> {
    const { doc, seq } = await this.committedDoc(projectId)
    let update: Uint8Array
    try {
      update = Y.encodeStateAsUpdate(doc, stateVector)
    } catch {
      throw new DomainError('bad_request', 'sv is not a valid Yjs state vector')
    }
    const serverSv = Y.encodeStateVector(doc)
    return { update, stateVector: serverSv, etag: answerTag(update, serverSv), version: seq }
  }

  /// Forgets a deleted project's cached doc.
  forget(projectId: string): void {
    this.compactAtLull.delete(projectId)
    this.cache.drop(projectId)
  }
}

/// What applying a batch of pushes did: each push's result, the deltas of those applied (what to store), the paths
/// they touched, and how the all-ASCII files among them grew (see `AppliedUpdate`).
interface AppliedBatch {
  results: Array<{ ok: true } | { ok: false; error: unknown }>
  deltas: Uint8Array[]
  touched: Set<string>
  asciiDelta: Map<string, number | null>
  deletesOnly: boolean
}

/// Applies each push to `doc` on its own: a refused one leaves the others. One refused after it was partly applied
/// leaves the doc unusable: `rebuild` gets the good deltas so far and returns the doc to go on with. Gives the event
/// loop back every `YIELD_AFTER_MS`.
async function applyBatch(doc: Y.Doc, batch: readonly QueuedPush[], rebuild: (deltas: Uint8Array[]) => Promise<Y.Doc>): Promise<AppliedBatch> {
  const out: AppliedBatch = { results: [], deltas: [], touched: new Set(), asciiDelta: new Map(), deletesOnly: true }
  let slice = performance.now()
  for (const p of batch) {
    if (performance.now() - slice > YIELD_AFTER_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      slice = performance.now()
    }
    try {
      const applied = applyClientUpdate(doc, p.update)
      if (applied.delta) {
        out.deltas.push(applied.delta)
        out.deletesOnly &&= applied.deletesOnly
      }
      for (const path of applied.touched) out.touched.add(path)
      for (const [path, added] of applied.asciiDelta) {
        const before = out.asciiDelta.get(path)
        out.asciiDelta.set(path, added === null || before === null ? null : (before ?? 0) + added)
      }
      out.results.push({ ok: true })
    } catch (error) {
      out.results.push({ ok: false, error })
      // Refused before it was applied: the doc is untouched (a garbage push must not cost a rebuild).
      if (error instanceof RefusedUpdate) continue
      doc = await rebuild(out.deltas)
    }
  }
  return out
}
