import type { Health } from '@slipway/shared'
import { Store } from '../store.ts'

/// The answer to "is the server there?" (`checkHealth` in adapters/api/health.ts gives it).
export type ServerCheck = { readonly state: 'ok'; readonly health: Health } | { readonly state: 'error'; readonly reason: string }

export interface ConnectivityState {
  /// `navigator.onLine`: false means certainly offline, true means maybe online.
  readonly online: boolean
  /// The latest health check; undefined until the first one answers.
  readonly server: ServerCheck | undefined
}

/// The part of `window` this class uses, so tests can pass their own.
export interface ConnectivityScope {
  readonly navigator?: { readonly onLine?: boolean } | undefined
  addEventListener(type: 'online' | 'offline', listener: () => void): void
  removeEventListener(type: 'online' | 'offline', listener: () => void): void
  setTimeout(fn: () => void, ms: number): number
  clearTimeout(handle: number): void
}

export interface ConnectivityOptions {
  /// While the server is unreachable (and the browser says it is online), ask again this often.
  readonly retryMs?: number
}

/// Whether this page can reach the network and the server. Asks the server's health on `start()`, again whenever the
/// browser comes back online, and every `retryMs` while the answer is an error. Going offline shows at once.
export class Connectivity {
  readonly store: Store<ConnectivityState>
  private readonly retryMs: number
  private controller: AbortController | undefined
  private timer: number | undefined
  private started = false
  private disposed = false

  constructor(
    private readonly checkHealth: (signal: AbortSignal) => Promise<ServerCheck>,
    private readonly scope: ConnectivityScope,
    options: ConnectivityOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 30_000
    this.store = new Store<ConnectivityState>({ online: scope.navigator?.onLine !== false, server: undefined })
  }

  /// Starts listening and asks the server once. Calling it again does nothing.
  start(): void {
    if (this.started || this.disposed) return
    this.started = true
    this.scope.addEventListener('online', this.onOnline)
    this.scope.addEventListener('offline', this.onOffline)
    void this.check()
  }

  /// Asks the server now (a retry the person asked for, or a reconnect).
  async check(): Promise<void> {
    if (this.disposed) return
    this.cancel()
    const controller = (this.controller = new AbortController())
    const server = await this.checkHealth(controller.signal)
    if (controller.signal.aborted || this.disposed) return
    this.controller = undefined
    this.store.update((s) => ({ ...s, server }))
    if (server.state === 'error') this.timer = this.scope.setTimeout(() => void this.check(), this.retryMs)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.cancel()
    if (this.started) {
      this.scope.removeEventListener('online', this.onOnline)
      this.scope.removeEventListener('offline', this.onOffline)
    }
  }

  private cancel(): void {
    this.controller?.abort()
    this.controller = undefined
    if (this.timer !== undefined) this.scope.clearTimeout(this.timer)
    this.timer = undefined
  }

  private readonly onOnline = () => {
    this.store.update((s) => (s.online ? s : { ...s, online: true }))
    void this.check()
  }

  private readonly onOffline = () => {
    this.store.update((s) => (s.online ? { ...s, online: false } : s))
  }
}

/// Something the top bar should say is wrong. Nothing here means all is well, and the top bar shows no status.
export type StatusProblem =
  | { readonly kind: 'offline' }
  | { readonly kind: 'server'; readonly reason: string }
  | { readonly kind: 'isolation' }

/// What is wrong, most important first. Offline hides "server unreachable" (it follows from it); isolation matters
/// only where code is to run in this tab (WebContainer needs SharedArrayBuffer).
export function statusProblems(state: ConnectivityState, page: { readonly isolated: boolean; readonly needsIsolation: boolean }): StatusProblem[] {
  const problems: StatusProblem[] = []
  if (!state.online) problems.push({ kind: 'offline' })
  else if (state.server?.state === 'error') problems.push({ kind: 'server', reason: state.server.reason })
  if (page.needsIsolation && !page.isolated) problems.push({ kind: 'isolation' })
  return problems
}
