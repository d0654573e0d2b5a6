import * as Y from 'yjs'
import { Store } from '../../core/store.ts'
import type { SyncClient, SyncStatus } from '../../core/sync/SyncClient.ts'
import type { ApiClient } from '../api/client.ts'

export type { SyncStatus }

export interface SyncClientOptions {
  debounceMs?: number
  maxBackoffMs?: number
  /// The page scope, for `online` and `visibilitychange` (injected so tests can run without a window).
  scope?: Pick<Window, 'addEventListener' | 'removeEventListener'> & { navigator?: { onLine: boolean }; document?: { visibilityState: string } }
}

/// Keeps one project's doc in step with the server: pushes what the server lacks (a delta against the server's
/// last state vector), pulls what it lacks, after edits (debounced), on open, on reconnect and when the tab becomes
/// visible; retries with backoff and jitter. Remote updates are applied with this client as origin.
export class HttpSyncClient implements SyncClient {
  readonly status = new Store<SyncStatus>({ state: 'saved-locally' })
  private serverSv: Uint8Array = new Uint8Array([0])
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private failures = 0
  private dirty = false
  private disposed = false
  private readonly cleanups: Array<() => void> = []

  constructor(
    private readonly doc: Y.Doc,
    private readonly projectId: string,
    private readonly api: ApiClient,
    private readonly options: SyncClientOptions = {},
  ) {
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      if (origin === this) return
      this.dirty = true
      if (this.status.get().state === 'synced') this.status.update(() => ({ state: 'saved-locally' }))
      this.schedule(this.options.debounceMs ?? 1000)
    }
    doc.on('update', onUpdate)
    this.cleanups.push(() => doc.off('update', onUpdate))
    const scope = options.scope
    if (scope) {
      const now = () => this.schedule(0)
      const visible = () => scope.document?.visibilityState === 'visible' && this.schedule(0)
      scope.addEventListener('online', now)
      scope.addEventListener('visibilitychange', visible)
      this.cleanups.push(() => scope.removeEventListener('online', now), () => scope.removeEventListener('visibilitychange', visible))
    }
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

  private schedule(ms: number) {
    if (this.disposed) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.sync(), ms)
  }

  private async round(): Promise<void> {
    this.status.update(() => ({ state: 'syncing' }))
    this.dirty = false
    const pulled = await this.api.pull(this.projectId, Y.encodeStateVector(this.doc))
    if (!pulled.ok) return this.failed(pulled.kind === 'network' ? undefined : pulled.message)
    Y.applyUpdate(this.doc, pulled.value.update, this)
    this.serverSv = pulled.value.stateVector
    const update = Y.encodeStateAsUpdate(this.doc, this.serverSv)
    // An update with no structs and no deletions is 2 bytes; nothing to send.
    if (update.byteLength > 2) {
      const pushed = await this.api.push(this.projectId, update)
      if (!pushed.ok) return this.failed(pushed.kind === 'network' ? undefined : pushed.message)
      this.serverSv = pushed.value
    }
    this.failures = 0
    this.status.update(() => (this.dirty ? { state: 'saved-locally' } : { state: 'synced', at: Date.now() }))
  }

  private failed(message: string | undefined) {
    this.failures++
    this.dirty = true
    const offline = message === undefined
    this.status.update(() => (offline ? { state: 'offline', waiting: true } : { state: 'error', message, waiting: true }))
    const max = this.options.maxBackoffMs ?? 30_000
    const base = Math.min(max, 1000 * 2 ** Math.min(this.failures - 1, 10))
    this.schedule(base / 2 + Math.random() * (base / 2))
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    for (const c of this.cleanups) c()
  }
}
