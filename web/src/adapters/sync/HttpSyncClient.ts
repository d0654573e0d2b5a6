import { FILES_MAP, LIMITS, filePathOf, fromBase64Url, toBase64Url } from '@slipway/shared'
import * as Y from 'yjs'
import { Store } from '../../core/store.ts'
import type { SyncClient, SyncStatus } from '../../core/sync/SyncClient.ts'
import type { ApiResult, PullAnswer, PushAnswer } from '../api/client.ts'
import type { SyncMeta } from '../persistence/LocalStore.ts'

export type { SyncStatus }

/// The two sync calls of the API (ApiClient implements them).
export interface SyncApi {
  push(id: string, update: Uint8Array, version?: number): Promise<ApiResult<PushAnswer>>
  pull(id: string, stateVector: Uint8Array, etag?: string): Promise<ApiResult<PullAnswer>>
}

/// Where the client keeps what it knows between page loads (LocalStore's `sync` store).
export interface SyncBookkeeping {
  get(): Promise<SyncMeta | undefined>
  put(meta: SyncMeta): Promise<void>
}

export interface SyncClientOptions {
  debounceMs?: number
  maxBackoffMs?: number
  /// While the page is visible, asks the server for other devices' edits this often (ms). Default 5000; 0: never.
  pollMs?: number
  bookkeeping?: SyncBookkeeping
  /// The page scope, for `online` and `visibilitychange` (injected so tests can run without a window).
  scope?: Pick<Window, 'addEventListener' | 'removeEventListener'> & { document?: { visibilityState: string } }
}

// Deleted files count too, so the list can outgrow the project; the bookkeeping keeps at most this many names.
const MAX_FILES = LIMITS.maxFiles

// An update with no structs and no deletions is 2 bytes: nothing to send.
const EMPTY_UPDATE_BYTES = 2

/// Keeps one project's doc in step with the server. Pull first (what the server has that we lack, and the server's
/// state vector), then push. The first push after the page opens sends everything the server lacks
/// (`encodeStateAsUpdate(doc, serverSv)`: it carries the doc's whole delete set, which is what catches deletions
/// made offline in an earlier session); after that only the edits made since the last acknowledgement are sent,
/// merged, so a one-line edit costs a few hundred bytes whatever the project's history. Runs on open, after edits
/// (debounced), on `online`, when the tab becomes visible, every few seconds while visible (other devices' edits),
/// and in a backoff loop with jitter after a failure.
/// Remote updates are applied with this client as origin.
export class HttpSyncClient implements SyncClient {
  readonly status = new Store<SyncStatus>({ state: 'saved-locally', waiting: 0 })
  private serverSv: Uint8Array = new Uint8Array([0])
  /// Local edits since the last acknowledged push, oldest first, and the files each one touched.
  private pending: Uint8Array[] = []
  private pendingPaths: string[][] = []
  /// Files with edits waiting from an earlier page load (kept in the bookkeeping), until the first push succeeds.
  private carried = new Set<string>()
  /// The same from bookkeeping that counted edits, not files (written before the count was by file).
  private carriedUncounted = 0
  private needFull = true
  private timer: ReturnType<typeof setTimeout> | undefined
  private metaTimer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private failures = 0
  private disposed = false
  private syncedAt: number | undefined
  /// The last pull answer's ETag: an unchanged project answers 304 instead of its whole delete set again.
  private etag: string | undefined
  /// See SyncMeta.residual.
  private residual: string | undefined
  private readonly loaded: Promise<void>
  private readonly cleanups: Array<() => void> = []

  constructor(
    private readonly doc: Y.Doc,
    private readonly projectId: string,
    private readonly api: SyncApi,
    private readonly options: SyncClientOptions = {},
  ) {
    const onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      if (origin === this || this.disposed) return
      this.pending.push(update)
      this.pendingPaths.push(changedFiles(tr, doc.getMap(FILES_MAP)))
      this.status.update((s) =>
        s.state === 'offline' || s.state === 'error' || s.state === 'syncing'
          ? { ...s, waiting: this.waiting }
          : { state: 'saved-locally', waiting: this.waiting },
      )
      this.saveMetaSoon()
      this.schedule(this.options.debounceMs ?? 1000)
    }
    doc.on('update', onUpdate)
    this.cleanups.push(() => doc.off('update', onUpdate))
    this.loaded = this.loadMeta()
    const scope = options.scope
    if (scope) {
      const now = () => this.schedule(0)
      const visible = () => scope.document?.visibilityState === 'visible' && this.schedule(0)
      scope.addEventListener('online', now)
      scope.addEventListener('visibilitychange', visible)
      this.cleanups.push(() => scope.removeEventListener('online', now), () => scope.removeEventListener('visibilitychange', visible))
    }
  }

  /// Files with local edits (changed, created, deleted) the server has not acknowledged.
  get waiting(): number {
    return this.waitingPaths().size + this.carriedUncounted
  }

  private waitingPaths(): Set<string> {
    const paths = new Set(this.carried)
    for (const list of this.pendingPaths) for (const p of list) paths.add(p)
    return paths
  }

  private async loadMeta() {
    const meta = await this.options.bookkeeping?.get().catch(() => undefined)
    if (!meta) return
    if (meta.waitingPaths) this.carried = new Set(meta.waitingPaths)
    else this.carriedUncounted = meta.waiting
    this.syncedAt = meta.syncedAt
    this.residual = meta.residual
    this.serverSv = fromBase64Url(meta.serverStateVector) ?? this.serverSv
    if (this.waiting > 0 && this.status.get().state === 'saved-locally') this.status.update(() => ({ state: 'saved-locally', waiting: this.waiting }))
  }

  private saveMetaSoon() {
    if (!this.options.bookkeeping) return
    clearTimeout(this.metaTimer)
    this.metaTimer = setTimeout(() => void this.saveMeta(), 300)
  }

  private async saveMeta() {
    clearTimeout(this.metaTimer)
    const paths = [...this.waitingPaths()].slice(0, MAX_FILES)
    const meta: SyncMeta = { serverStateVector: toBase64Url(this.serverSv), waiting: paths.length + this.carriedUncounted, waitingPaths: paths }
    if (this.syncedAt !== undefined) meta.syncedAt = this.syncedAt
    if (this.residual !== undefined) meta.residual = this.residual
    await this.options.bookkeeping?.put(meta).catch(() => {})
  }

  /// Syncs now; resolves when this round (and any edits made during it) is done.
  sync(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.round().finally(() => {
      this.running = undefined
      if (this.again && !this.disposed) {
        this.again = false
        void this.sync()
      }
    })
    return this.running
  }

  /// Retries now, forgetting the backoff (the Retry button).
  retry(): Promise<void> {
    this.failures = 0
    return this.sync()
  }

  /// `poll`: only if the page is visible then (a hidden page syncs again on `visibilitychange`).
  private schedule(ms: number, poll = false) {
    if (this.disposed) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      if (!poll || this.options.scope?.document?.visibilityState !== 'hidden') void this.sync()
    }, ms)
  }

  private async round(): Promise<void> {
    await this.loaded
    if (this.disposed) return
    this.status.update(() => ({ state: 'syncing', waiting: this.waiting }))
    const pulled = await this.api.pull(this.projectId, Y.encodeStateVector(this.doc), this.etag)
    if (!pulled.ok) return this.failed(pulled)
    if (!pulled.value.notModified) Y.applyUpdate(this.doc, pulled.value.update, this)
    this.etag = pulled.value.etag
    const version = pulled.value.version
    this.serverSv = pulled.value.stateVector
    const sending = this.pending.length
    const carried = [...this.carried]
    const carriedUncounted = this.carriedUncounted
    let update: Uint8Array | undefined
    if (this.needFull) {
      update = Y.encodeStateAsUpdate(this.doc, this.serverSv)
      // Opened with nothing new since the last acknowledged round: don't send the whole delete set again.
      if (sending === 0 && this.residual !== undefined && (await digest(update)) === this.residual) update = undefined
    } else if (sending > 0) update = Y.diffUpdate(Y.mergeUpdates(this.pending.slice(0, sending)), this.serverSv)
    if (update && update.byteLength > EMPTY_UPDATE_BYTES) {
      const pushed = await this.api.push(this.projectId, update, version)
      if (!pushed.ok) return this.failed(pushed)
      this.serverSv = pushed.value.stateVector
      // Our own push changed the answer. The server names the new one when nothing else landed since our pull (we
      // then hold all of it); otherwise the next pull downloads it once.
      this.etag = pushed.value.etag
    }
    if (update || this.residual === undefined) this.residual = await digest(Y.encodeStateAsUpdate(this.doc, this.serverSv))
    this.pending.splice(0, sending)
    this.pendingPaths.splice(0, sending)
    for (const p of carried) this.carried.delete(p)
    this.carriedUncounted -= carriedUncounted
    this.needFull = false
    this.failures = 0
    this.syncedAt = Date.now()
    await this.saveMeta()
    this.status.update(() => (this.waiting > 0 ? { state: 'saved-locally', waiting: this.waiting } : { state: 'synced', at: this.syncedAt ?? Date.now() }))
    const poll = this.options.pollMs ?? 5000
    if (poll > 0 && this.waiting === 0) this.schedule(poll, true)
  }

  private failed(res: Extract<ApiResult<unknown>, { ok: false }>) {
    this.failures++
    const waiting = this.waiting
    this.status.update(() =>
      res.kind === 'network'
        ? { state: 'offline', waiting }
        : res.code === 'quota_exceeded'
          ? { state: 'error', message: res.message, waiting, quota: true }
          : { state: 'error', message: res.status === 401 ? 'signed out — sign in again' : res.message, waiting },
    )
    void this.saveMeta()
    const max = this.options.maxBackoffMs ?? 30_000
    const base = Math.min(max, 1000 * 2 ** Math.min(this.failures - 1, 10))
    this.schedule(base / 2 + Math.random() * (base / 2))
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    if (this.metaTimer !== undefined) void this.saveMeta()
    for (const c of this.cleanups) c()
  }
}

/// A shared type as a transaction lists it.
type AnyType = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never

/// The files a local transaction touched: keys set or deleted in the files map, and files whose text changed. A
/// change outside any file (none exist in the layout today) still counts, as one.
function changedFiles(tr: Y.Transaction | undefined, files: Y.Map<unknown>): string[] {
  if (!tr) return [OTHER]
  const out = new Set<string>()
  const filesType = files as unknown as AnyType
  for (const [type, keys] of tr.changed) {
    if (type === filesType) for (const k of keys) out.add(k ?? OTHER)
    else out.add(filePathOf(type, filesType) ?? OTHER)
  }
  return out.size ? [...out] : [OTHER]
}
const OTHER = '\u0000other'

async function digest(bytes: Uint8Array): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
}
