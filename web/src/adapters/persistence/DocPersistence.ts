import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb'
import * as Y from 'yjs'
import { Store } from '../../core/store.ts'

/// Whether everything in the doc is in IndexedDB. `failing`: a write failed (quota, a broken database); the edits
/// are still in memory and a full copy of the doc is written again every few seconds until one succeeds.
export type DocStoreStatus = { state: 'ok' } | { state: 'failing'; message: string; quota: boolean }

export interface DocPersistenceOptions {
  /// Strict-durability checkpoint this long after the last edit (and at least this often while typing). Default 500.
  checkpointMs?: number
  /// Retry interval after a failed write. Default 2000.
  retryMs?: number
  /// The page, for `visibilitychange` and `pagehide` checkpoints.
  scope?: Pick<Window, 'addEventListener' | 'removeEventListener'> & { document?: { visibilityState: string } }
  /// Other tabs on the same project; `null` turns it off (tests). Default: a BroadcastChannel per doc.
  channel?: Pick<BroadcastChannel, 'postMessage' | 'close'> & { onmessage: ((e: MessageEvent) => void) | null } | null
  /// Called with the time from an edit to its write having committed (benchmarks).
  onStored?: (ms: number) => void
}

const CHECKPOINT_KEY = 'checkpoint'
/// Past this many bytes of merged edits, compaction writes the whole doc again (which drops deleted text).
const TAIL_LIMIT = 1024 * 1024

/// The Yjs this persistence writes with, for callers that load it lazily alongside (one copy of Yjs per page).
export { Y }

/// One project doc in IndexedDB: the `y-indexeddb` provider loads it and compacts it, and this class takes over the
/// per-edit write (the one private field of y-indexeddb it touches is `_storeUpdate`, the provider's own update
/// listener, which it unhooks: y-indexeddb is pinned exactly, and its test in DocPersistence.test.ts fails if that
/// changes) so that it can (1) commit every edit at once in a relaxed-durability transaction (edits made while one
/// is in flight wait for it and then go together, merged, in the next: see `flush`), (2) write
/// a strict-durability checkpoint shortly after the user pauses and when the page is hidden or left, (3) notice a
/// failed write (Chrome reports a full disk as `QuotaExceededError`, sometimes as `AbortError`) and keep retrying
/// with a full copy of the doc, and (4) pass edits to other tabs holding the same project (BroadcastChannel), so
/// they see each other's edits at once without re-reading the store.
export class DocPersistence {
  readonly status = new Store<DocStoreStatus>({ state: 'ok' })
  private readonly provider: IndexeddbPersistence
  private checkpointTimer: ReturnType<typeof setTimeout> | undefined
  private firstUncheckpointed: number | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private trimTimer: ReturnType<typeof setTimeout> | undefined
  /// Rows the store holds, about (edits written since the last count are added one by one): past
  /// `PREFERRED_TRIM_SIZE` the edits are folded together (`compact`).
  private rows = 0
  /// Some edit did not reach the store: only a full write can make it whole again.
  private lost = false
  /// Edits waiting for the write in flight, and when each was made (for `onStored`).
  private pending: Uint8Array[] = []
  private pendingAt: number[] = []
  /// Writes started and not yet committed or failed.
  private writing = 0
  private destroyed = false
  private readonly channel: DocPersistenceOptions['channel']
  private readonly cleanups: Array<() => void> = []

  private constructor(
    readonly name: string,
    private readonly doc: Y.Doc,
    private readonly options: DocPersistenceOptions,
  ) {
    this.channel = options.channel === undefined ? openChannel(name) : options.channel
    if (this.channel) {
      // Listen before loading, so nothing another tab writes in between is missed (Yjs ignores duplicates).
      this.channel.onmessage = (e: MessageEvent) => {
        if (this.destroyed || !(e.data instanceof Uint8Array)) return
        try {
          // The sending tab stored it; the provider as origin keeps this tab from storing it again.
          Y.applyUpdate(doc, e.data, this.provider)
        } catch {
          // Not a Yjs update: ignore it, nothing changed.
        }
      }
    }
    this.provider = new IndexeddbPersistence(name, doc)
    // Nothing is written before the store is open (the load writes the whole doc, edits made before it included);
    // listening only after the load also spares Yjs encoding the loaded doc into one big update event.
    doc.off('update', this.provider._storeUpdate)
    const scope = options.scope
    if (scope) {
      const hidden = () => scope.document?.visibilityState === 'hidden' && void this.checkpoint()
      const leaving = () => void this.checkpoint()
      scope.addEventListener('visibilitychange', hidden)
      scope.addEventListener('pagehide', leaving)
      this.cleanups.push(
        () => scope.removeEventListener('visibilitychange', hidden),
        () => scope.removeEventListener('pagehide', leaving),
      )
    }
  }

  /// Opens the project's store and loads it into `doc`.
  static async open(name: string, doc: Y.Doc, options: DocPersistenceOptions = {}): Promise<DocPersistence> {
    const p = new DocPersistence(name, doc, options)
    await p.provider.whenSynced
    doc.on('update', p.onUpdate)
    // Counted off the path to the editor; edits meanwhile add to it (at worst a compaction comes a little early).
    if (p.provider.db) void countRows(p.provider.db).then((n) => p.addRows(n), () => undefined)
    return p
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.destroyed || origin === this.provider) return
    this.channel?.postMessage(update)
    // Before the store is open, the load itself writes the whole doc (y-indexeddb's `beforeApplyUpdatesCallback`).
    if (!this.provider.db) return
    this.pending.push(update)
    this.pendingAt.push(performance.now())
    if (this.writing === 0) this.flush()
    this.scheduleCheckpoint()
  }

  /// Writes the waiting edits, merged into one row, in one transaction; when it commits, the edits made meanwhile
  /// follow in the next. Never one transaction per edit regardless: the browser commits a page's transactions one
  /// after another (about 1 ms each in Chromium, far more on a loaded machine), so a burst (a paste Monaco applies
  /// character by character, an edit across many lines) queued thousands, seconds of them, and leaving the page
  /// aborts every transaction not yet committed: a reload brought the file back cut to its first few characters.
  private flush() {
    const db = this.provider.db
    if (!db || this.pending.length === 0) return
    const updates = this.pending.splice(0)
    const madeAt = this.pendingAt.splice(0)
    let row: Uint8Array
    try {
      row = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
    } catch (err) {
      return this.failed(err) // not expected (these are the doc's own updates); the retry writes the whole doc
    }
    this.writing++
    this.write(db, row, 'relaxed')
      .then(
        () => {
          const now = performance.now()
          for (const t of madeAt) this.options.onStored?.(now - t)
        },
        (err: unknown) => this.failed(err),
      )
      .finally(() => {
        if (--this.writing === 0) this.flush()
      })
    this.addRows(1)
  }

  /// Counts rows written; past `PREFERRED_TRIM_SIZE`, folds them a second after the last one.
  private addRows(n: number) {
    this.rows += n
    if (this.rows < PREFERRED_TRIM_SIZE || this.destroyed) return
    clearTimeout(this.trimTimer)
    this.trimTimer = setTimeout(() => void this.compact().catch((err: unknown) => this.failed(err)), 1000)
  }

  /// Folds the rows written edit by edit into one. The store's first row (the project as last compacted; for a big
  /// project nearly all of its bytes) is left as it is: y-indexeddb's own compaction would encode and write the
  /// whole doc again every few hundred keystrokes. Reading, merging, adding and deleting happen in one transaction,
  /// so rows other tabs write meanwhile are never deleted unmerged. Only when the merged rows have grown past
  /// `TAIL_LIMIT` is the whole doc written again (y-indexeddb's `storeState`).
  async compact(): Promise<void> {
    const db = this.provider.db
    if (!db || this.destroyed) return
    let full = false
    await new Promise<void>((resolve, reject) => {
      let tx: IDBTransaction
      try {
        tx = db.transaction(['updates'], 'readwrite')
      } catch (err) {
        return reject(err)
      }
      const store = tx.objectStore('updates')
      const first = store.getAllKeys(null, 1)
      first.onsuccess = () => {
        const base = first.result[0]
        if (base === undefined) return
        const rest = IDBKeyRange.lowerBound(base, true)
        const rows = store.getAll(rest)
        const keys = store.getAllKeys(rest)
        keys.onsuccess = () => {
          const k = keys.result
          if (k.length < 2) return
          let merged: Uint8Array
          try {
            merged = Y.mergeUpdates(rows.result as Uint8Array[])
          } catch {
            return // a row Yjs cannot read: leave the store as it is
          }
          if (merged.byteLength > TAIL_LIMIT) {
            full = true
            return
          }
          store.add(merged)
          store.delete(IDBKeyRange.bound(k[0]!, k[k.length - 1]!))
          const count = store.count()
          count.onsuccess = () => (this.rows = count.result)
        }
      }
      tx.oncomplete = () => resolve()
      tx.onabort = () => reject(tx.error ?? new DOMException('The compaction was aborted', 'AbortError'))
    })
    if (full && !this.destroyed) {
      await storeState(this.provider, true)
      // Counted in a transaction that starts after the one storeState writes in.
      this.rows = await countRows(db)
    }
  }

  private write(db: IDBDatabase, update: Uint8Array, durability: IDBTransactionDurability): Promise<void> {
    return new Promise((resolve, reject) => {
      let tx: IDBTransaction
      try {
        tx = db.transaction(['updates'], 'readwrite', { durability })
        tx.objectStore('updates').add(update)
        // Sent now, not when the task ends: Chromium drops a transaction left to commit itself in `pagehide`.
        tx.commit()
      } catch (err) {
        return reject(err)
      }
      tx.oncomplete = () => resolve()
      tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted', 'AbortError'))
    })
  }

  private scheduleCheckpoint() {
    const now = Date.now()
    this.firstUncheckpointed ??= now
    const wait = this.options.checkpointMs ?? 500
    // Debounced, but never later than `wait` after the first edit since the last checkpoint.
    const due = Math.min(wait, this.firstUncheckpointed + wait * 2 - now)
    clearTimeout(this.checkpointTimer)
    this.checkpointTimer = setTimeout(() => void this.checkpoint(), Math.max(0, due))
  }

  /// A strict-durability commit: once it resolves, everything written before is on disk, not just in the OS cache.
  /// Edits waiting for a write in flight are written first, at once (the page may be going away). If an earlier
  /// write failed, this writes the whole doc instead.
  async checkpoint(): Promise<void> {
    clearTimeout(this.checkpointTimer)
    this.firstUncheckpointed = undefined
    const db = this.provider.db
    if (!db || this.destroyed) return
    this.flush()
    if (this.lost) return this.retry()
    await new Promise<void>((resolve) => {
      let tx: IDBTransaction
      try {
        tx = db.transaction(['custom'], 'readwrite', { durability: 'strict' })
        tx.objectStore('custom').put({ at: Date.now(), stateVector: Y.encodeStateVector(this.doc) }, CHECKPOINT_KEY)
        tx.commit()
      } catch (err) {
        this.failed(err)
        return resolve()
      }
      tx.oncomplete = () => resolve()
      tx.onabort = () => {
        this.failed(tx.error)
        resolve()
      }
    })
  }

  private failed(err: unknown) {
    if (this.destroyed) return
    this.lost = true
    const name = err instanceof DOMException || err instanceof Error ? err.name : ''
    const quota = name === 'QuotaExceededError' || name === 'AbortError'
    const message = quota
      ? 'This browser has no room left to save your edits. Free some disk space or remove projects you no longer need from this device. Your edits are kept in this tab and saved as soon as there is room — do not close it.'
      : `This browser could not save your edits locally (${err instanceof Error ? err.message : String(err)}). They are kept in this tab and saving is retried.`
    this.status.update(() => ({ state: 'failing', message, quota }))
    if (this.retryTimer === undefined) this.retryTimer = setTimeout(() => void this.retry(), this.options.retryMs ?? 2000)
  }

  /// Writes the whole doc (strict); on success the store holds everything again.
  private async retry(): Promise<void> {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const db = this.provider.db
    if (!db || this.destroyed) return
    try {
      await this.write(db, Y.encodeStateAsUpdate(this.doc), 'strict')
      this.lost = false
      this.status.update(() => ({ state: 'ok' }))
    } catch (err) {
      this.failed(err)
    }
  }

  /// Stops writing (after a last checkpoint) and closes the store; the doc stays as it is. Removes every listener
  /// it added: the doc's update listener, the channel's and the page's.
  async destroy(): Promise<void> {
    if (this.destroyed) return
    await this.checkpoint()
    if (this.lost) await this.retry()
    // Edits made while the above was being written; the store closes only once this write has committed.
    this.flush()
    this.destroyed = true
    clearTimeout(this.checkpointTimer)
    clearTimeout(this.retryTimer)
    clearTimeout(this.trimTimer)
    this.doc.off('update', this.onUpdate)
    for (const c of this.cleanups) c()
    if (this.channel) {
      this.channel.onmessage = null
      this.channel.close()
    }
    await this.provider.destroy()
  }
}

function countRows(db: IDBDatabase): Promise<number> {
  return new Promise((resolve, reject) => {
    try {
      const req = db.transaction(['updates'], 'readonly').objectStore('updates').count()
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error ?? new DOMException('The count failed', 'UnknownError'))
    } catch (err) {
      reject(err)
    }
  })
}

function openChannel(name: string): BroadcastChannel | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`slipway:${name}`)
}
