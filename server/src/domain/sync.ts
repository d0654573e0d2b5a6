import { LIMITS, toBase64Url } from '@slipway/shared'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { Clock, DocTransaction, FileDigest, LogCompactor, ProjectRepo, StoredFile } from '../ports.ts'
import { COMPACT_AFTER_ROWS } from './compaction.ts'
import { DocCache } from './doc-cache.ts'
import type { ViewSizes } from './doc-cache.ts'
import { DomainError } from './errors.ts'
import { RefusedUpdate, applyClientUpdate, docFromUpdates, fileBytes, fileDigest, measureFile, storedFile } from './project-doc.ts'
import { quotaExceeded } from './projects.ts'
import { DEFAULT_QUOTAS, checkStorage } from './quotas.ts'
import type { Quotas } from './quotas.ts'

/// A batch gives the event loop back between pushes once it has applied for this long, so one batch of large
/// pushes never stalls every other request.
const YIELD_AFTER_MS = 20

/// Most pushes merged into one transaction.
const MAX_BATCH = 64

/// A project that never goes quiet is compacted once its log has this many rows. A compaction mid-burst costs the
/// pushes dearly (a full one ships the whole doc out of the database and back, and rebuilds it: a fifth of the
/// server's CPU during a 20-client burst on 2 cores), while a long log costs only cold reads, a little: pushes and
/// pulls use the cached doc.
const BURST_COMPACT_ROWS = 32 * COMPACT_AFTER_ROWS

/// Compactions asked for meanwhile wait until this process has stored no push for this long.
const LULL_MS = 1000

interface Pending {
  update: Uint8Array
  /// The doc version the pushing client last pulled, if it said.
  base: number | undefined
  resolve: (result: PushResult) => void
  reject: (err: unknown) => void
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

/// Thrown inside a batch's transaction to roll it back and retry its pushes one at a time.
class RetrySingly extends Error {}

/// A project's pushes waiting for a transaction, and whether a transaction is already waiting for the doc lock to
/// take them.
interface ProjectQueue {
  pending: Pending[]
  /// A transaction has been started and has not taken its batch yet.
  waiting: boolean
  /// Transactions started and not finished (waiting or running).
  inFlight: number
}

/// Merges clients' Yjs updates into the stored project doc and answers what a client lacks.
/// - Pushes to one project are applied one after another under the project's row lock, so pushes from any number
///   of server processes never lose each other's changes; a rejected update leaves nothing behind.
/// - Within a process, pushes that arrive while a project's transaction runs wait in a queue and are merged into
///   the next transaction together (group commit): one lock, one log row, one commit for many pushes.
/// - That next transaction starts as soon as something is queued, and waits for the row lock in the database while
///   the running one works; it takes its batch (everything queued by then) once it holds the lock. So a batch's
///   BEGIN and lock round trips overlap the previous batch instead of following its commit.
export class SyncService {
  private readonly queues = new Map<string, ProjectQueue>()
  /// Projects whose log wants compacting at the next lull, and the timer that waits for it.
  private readonly compactAtLull = new Set<string>()
  private lull: ReturnType<typeof setTimeout> | undefined

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
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(projectId)
      if (!queue) {
        queue = { pending: [], waiting: false, inFlight: 0 }
        this.queues.set(projectId, queue)
      }
      queue.pending.push({ update, base, resolve, reject })
      this.schedule(projectId, queue)
    })
  }

  /// Starts a transaction for the queued pushes unless one is already waiting to take them.
  private schedule(projectId: string, queue: ProjectQueue): void {
    if (queue.waiting || queue.pending.length === 0) return
    queue.waiting = true
    queue.inFlight++
    let taken = false
    const take = () => {
      taken = true
      queue.waiting = false
      const batch = queue.pending.splice(0, MAX_BATCH)
      // The next transaction waits for this one's lock meanwhile.
      this.schedule(projectId, queue)
      return batch
    }
    void this.commitQueued(projectId, take, () => taken).finally(() => {
      queue.inFlight--
      if (queue.inFlight === 0 && queue.pending.length === 0 && this.queues.get(projectId) === queue) this.queues.delete(projectId)
    })
  }

  private async commitQueued(projectId: string, take: () => Pending[], taken: () => boolean): Promise<void> {
    let batch: Pending[] = []
    try {
      await this.commit(projectId, () => (batch = take()))
    } catch (err) {
      // Failed before taking a batch (no lock, no doc): the pushes it would have taken fail with it.
      if (!taken()) batch = take()
      if (!(err instanceof RetrySingly)) {
        for (const p of batch) p.reject(err)
        return
      }
      for (const p of batch) await this.commit(projectId, () => [p]).catch((e: unknown) => p.reject(e))
    }
  }

  /// One transaction for a batch of pushes, taken once the doc lock is held. Each push is checked on its own: a bad
  /// one is rejected and the others still land.
  private async commit(projectId: string, take: () => Pending[]): Promise<void> {
    let batch: Pending[] = []
    const outcome = await this.projects.withDocLock(projectId, async (tx) => {
      batch = take()
      const before = tx.seq
      let { doc, view } = await this.docAt(projectId, tx)
      try {
        const deltas: Uint8Array[] = []
        const touched = new Set<string>()
        const asciiDelta = new Map<string, number | null>()
        const results: Array<{ ok: true } | { ok: false; error: unknown }> = []
        let deletesOnly = true
        let slice = performance.now()
        for (const p of batch) {
          if (performance.now() - slice > YIELD_AFTER_MS) {
            await new Promise((resolve) => setImmediate(resolve))
            slice = performance.now()
          }
          try {
            const applied = applyClientUpdate(doc, p.update)
            if (applied.delta) {
              deltas.push(applied.delta)
              deletesOnly &&= applied.deletesOnly
            }
            for (const path of applied.touched) touched.add(path)
            for (const [path, added] of applied.asciiDelta) {
              const before = asciiDelta.get(path)
              asciiDelta.set(path, added === null || before === null ? null : (before ?? 0) + added)
            }
            results.push({ ok: true })
          } catch (error) {
            results.push({ ok: false, error })
            // Refused before it was applied: the doc is untouched (a garbage push must not cost a rebuild).
            if (error instanceof RefusedUpdate) continue
            // The doc may hold part of the rejected update: rebuild it from the log and this batch's good deltas.
            doc.destroy()
            doc = docFromUpdates([...(await tx.updatesAfter(0)), ...deltas])
          }
        }
        let seq = tx.seq
        let writes: Promise<unknown> = Promise.resolve()
        let storedBytes = 0
        if (deltas.length) {
          ;({ seq, writes, view, storedBytes } = await this.store({ projectId, tx, doc, known: view, touched, asciiDelta, deltas, deletesOnly, batched: batch.length > 1 }))
        }
        const rows = tx.updateRows + (deltas.length > 0 ? 1 : 0)
        const compactAfter = deltas.length > 0 && rows >= COMPACT_AFTER_ROWS
        const stateVector = Y.encodeStateVector(doc)
        const only = batch.length === 1 && results[0]!.ok ? batch[0]! : undefined
        const etag = only?.base === before ? answerTag(Y.encodeStateAsUpdate(doc, stateVector), stateVector) : undefined
        // Back in the cache before commit, tagged with the seq it reflects: a later lock holder reads the committed
        // seq and uses it only if this commit landed; pulls use it only once that seq is committed.
        this.cache.put(projectId, doc, seq, tx.logBytes + storedBytes, view)
        return { results, stateVector, etag, stored: deltas.length > 0, compactAfter, rows, writes }
      } catch (err) {
        doc.destroy()
        throw err
      }
    })
    // Committed only if every write ran: one that failed aborted the transaction, and its COMMIT rolled back.
    await outcome.writes
    const answer: PushResult = outcome.etag ? { stateVector: outcome.stateVector, etag: outcome.etag } : { stateVector: outcome.stateVector }
    outcome.results.forEach((r, i) => (r.ok ? batch[i]!.resolve(answer) : batch[i]!.reject(r.error)))
    if (outcome.stored) this.compactLater(projectId, outcome.compactAfter, outcome.rows)
  }

  /// While pushes keep coming, a compaction would rewrite rows the next commits make stale at once, and compete
  /// with them for CPU (its own, and the database's to ship a whole log back and forth). So it waits for a lull: no
  /// push stored by this process for `LULL_MS` (every stored push starts the wait again). A project whose log grows
  /// long meanwhile is compacted at once.
  private compactLater(projectId: string, wanted: boolean, rows: number): void {
    if (!this.compactor) return
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

  /// Appends the batch's delta and writes the files view; resolves with the new seq, the view's new sizes and the
  /// writes in flight. The limits are checked against the view's sizes before anything is written (a broken one
  /// throws, and the transaction rolls back); those come with the cached doc, and are read from the database only
  /// when the cache lacks them. The view gets the touched files' sizes, unhashed (`listFiles` hashes them when
  /// someone asks). The writes are left in flight: the commit goes out right behind them, and `writes` must be
  /// awaited after it (a failed write has aborted the transaction, so its commit rolled back). `view` is updated in
  /// place.
  ///
  /// The storage quotas (`checkStorage`) are checked against the update log's bytes and the owner's, which the doc
  /// lock holds still; a refusal asks for a compaction, which may bring the history back under its quota.
  private async store(batch: {
    projectId: string
    tx: DocTransaction
    doc: Y.Doc
    known: ViewSizes | undefined
    touched: Set<string>
    asciiDelta: Map<string, number | null>
    deltas: Uint8Array[]
    deletesOnly: boolean
    batched: boolean
  }): Promise<{ seq: number; writes: Promise<unknown>; view: ViewSizes; storedBytes: number }> {
    const { projectId, tx, doc, known, touched, asciiDelta, deltas, deletesOnly, batched } = batch
    const view = known ?? (await this.viewSizes(tx))
    const upserts: Array<{ path: string; size: number }> = []
    const deletes: string[] = []
    const ascii = new Map<string, boolean>()
    for (const path of touched) {
      // An all-ASCII text edited with ASCII only: its new size without walking it (files grow to megabytes).
      const added = asciiDelta.get(path)
      const old = view.sizes.get(path)
      if (added !== undefined && added !== null && old !== undefined && view.ascii.has(path)) {
        upserts.push({ path, size: old + added })
        continue
      }
      const measured = measureFile(doc, path)
      if (!measured) {
        deletes.push(path)
        continue
      }
      upserts.push({ path, size: measured.size })
      ascii.set(path, measured.ascii)
    }
    for (const file of upserts) {
      if (file.size > LIMITS.maxFileBytes) {
        if (batched) throw new RetrySingly()
        throw new DomainError('payload_too_large', `A file holds at most ${LIMITS.maxFileBytes} bytes`, { path: file.path, size: file.size })
      }
    }
    const totals = { count: view.sizes.size, bytes: view.bytes }
    for (const path of touched) {
      const old = view.sizes.get(path)
      if (old !== undefined) {
        totals.count--
        totals.bytes -= old
      }
    }
    for (const file of upserts) {
      totals.count++
      totals.bytes += file.size
    }
    if (totals.bytes > LIMITS.maxProjectBytes) {
      if (batched) throw new RetrySingly()
      throw new DomainError('payload_too_large', `A project holds at most ${LIMITS.maxProjectBytes} bytes`, totals)
    }
    const delta = deltas.length === 1 ? deltas[0]! : Y.mergeUpdates(deltas)
    const quota = checkStorage({ projectLogBytes: tx.logBytes, userBytes: tx.ownerBytes }, { bytes: delta.byteLength, deletesOnly }, this.quotas)
    if (!quota.ok) {
      if (batched) throw new RetrySingly()
      if (quota.quota === 'project_history_bytes') this.compactor?.request(projectId)
      throw quotaExceeded(quota)
    }
    const appended = tx.append(delta, this.clock.now())
    const writes = Promise.all([appended.done, tx.writeFiles(upserts, deletes)])
    // Awaited after the commit, unless the transaction fails first (its error then speaks for the writes).
    writes.catch(() => {})
    for (const path of deletes) {
      view.sizes.delete(path)
      view.ascii.delete(path)
    }
    for (const file of upserts) view.sizes.set(file.path, file.size)
    for (const [path, isAscii] of ascii) {
      if (isAscii) view.ascii.add(path)
      else view.ascii.delete(path)
    }
    view.bytes = totals.bytes
    return { seq: appended.seq, writes, view, storedBytes: delta.byteLength }
  }

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
