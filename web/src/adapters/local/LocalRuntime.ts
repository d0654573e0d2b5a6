import type { LocalRuntimeEvent } from '@slipway/shared'
import type {
  BootResult,
  DirEntry,
  Disposable,
  FileSystemTree,
  Runtime,
  RuntimeEvents,
  RuntimeFs,
  RuntimeProcess,
  SpawnOptions,
  WatchEvent,
} from '../../core/runtime/index.ts'
import { decodeBase64, encodeBase64, toWireTree } from './encoding.ts'
import { LocalProcess } from './LocalProcess.ts'
import { LocalRuntimeConnection, type WebSocketConstructor, type WebSocketLike } from './LocalRuntimeConnection.ts'
import { LocalRuntimeError } from './LocalRuntimeError.ts'
import { openSocket } from './openSocket.ts'
import { PreviewMessages, type MessageSource } from '../preview/previewMessages.ts'

export interface LocalRuntimeOptions {
  /// The agent's URL as it printed it: `ws://127.0.0.1:<port>/runtime?token=<token>`.
  readonly url: string
  /// The project whose folder the agent opens (created if needed).
  readonly project: string
  /// The WebSocket constructor; defaults to the page's. Node tests pass `ws`'s.
  readonly WebSocket?: WebSocketConstructor
  readonly connectTimeoutMs?: number
  readonly requestTimeoutMs?: number
  /// Where preview pages post their console messages; defaults to the page's window (none in Node).
  readonly messages?: MessageSource
}

/// The exit code of a process whose end the runtime can no longer observe (connection lost, runtime torn down
/// before the agent reported it): 128 + SIGHUP, as for a process whose terminal hung up.
export const HANGUP_EXIT_CODE = 129

const TEARDOWN_TIMEOUT_MS = 10_000
/// After `teardown` answered, how long to wait for the agent's last exit events before closing.
const EXIT_GRACE_MS = 500

type Listeners = { [E in keyof RuntimeEvents]: Set<RuntimeEvents[E]> }
interface WatchRecord {
  readonly listener: (event: WatchEvent) => void
  watchId: number | null
  disposed: boolean
}

/// The `Runtime` port over the local runtime agent's WebSocket (shared/src/protocol/local-runtime.ts), with the
/// same semantics as WebContainerRuntime. Failures of the connection never leave anything hanging: pending
/// requests reject, every process's `exit` resolves (`HANGUP_EXIT_CODE`), and an `error` event says what happened.
export class LocalRuntime implements Runtime {
  readonly kind = 'local'
  readonly fs: RuntimeFs
  readonly #connection: LocalRuntimeConnection
  readonly #listeners: Listeners = {
    'server-ready': new Set(),
    port: new Set(),
    error: new Set(),
    'preview-message': new Set(),
  }
  readonly #previews: PreviewMessages
  readonly #processes = new Map<number, LocalProcess>()
  readonly #watches = new Map<number, WatchRecord>()
  readonly #pendingWatches = new Set<WatchRecord>()
  /// Events for a pid or watch id whose `spawn`/`watch` response is being handled: `ws` can deliver the frames
  /// after a response before the code awaiting that response resumes.
  #early: LocalRuntimeEvent[] = []
  #registering = 0
  #state: 'alive' | 'tearing-down' | 'dead' = 'alive'
  #deadReason = ''

  /// Connects, opens `project`, and answers with a runtime or why there is none. Never throws.
  static async connect(options: LocalRuntimeOptions): Promise<BootResult> {
    const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    const opening = await openSocket(options.url, WebSocket, options.connectTimeoutMs ?? 10_000)
    if (!opening.ok) return opening
    const messages = options.messages ?? (typeof window === 'undefined' ? undefined : window)
    const runtime = new LocalRuntime(opening.socket, options.requestTimeoutMs ?? 30_000, messages)
    try {
      await runtime.#connection.request('open', { project: options.project })
    } catch (error) {
      runtime.#finish('the project could not be opened')
      const message = `The local runtime at ${opening.shown} could not open project "${options.project}": ${describe(error)}`
      return { ok: false, failure: { reason: 'unknown', message } }
    }
    return { ok: true, runtime }
  }

  private constructor(socket: WebSocketLike, requestTimeoutMs: number, messages: MessageSource | undefined) {
    this.#previews = new PreviewMessages(messages, (message) => this.#emit('preview-message', message))
    this.#connection = new LocalRuntimeConnection(
      socket,
      {
        event: (event) => this.#onEvent(event),
        invalid: (problem) => this.#emit('error', { message: `Ignored ${problem} from the local runtime` }),
        lost: (message) => {
          this.#finish(message)
          this.#emit('error', { message: `${message}. Restart the local runtime and reconnect.` })
          this.#clearListeners()
        },
      },
      requestTimeoutMs,
    )
    this.fs = this.#createFs()
  }

  async mount(tree: FileSystemTree): Promise<void> {
    this.#assertAlive('mount')
    await this.#connection.request('mount', { tree: toWireTree(tree) }, { timeoutMs: 120_000 })
  }

  async spawn(command: string, args: string[] = [], options: SpawnOptions = {}): Promise<RuntimeProcess> {
    this.#assertAlive('spawn')
    const { cwd, env, terminal } = options
    const request = this.#connection.request('spawn', {
      command,
      args,
      ...(cwd === undefined ? {} : { cwd }),
      ...(env === undefined ? {} : { env }),
      ...(terminal === undefined ? {} : { terminal: { cols: terminal.cols, rows: terminal.rows } }),
    })
    return this.#register(request, ({ pid }) => {
      const process = new LocalProcess(pid, {
        input: (data) =>
          this.#connection.request('input', { pid, data }).then(
            () => {},
            (error: unknown) => {
              if (!isGone(error)) throw error
            },
          ),
        kill: () => this.#fireAndReport(this.#connection.request('kill', { pid }, { timeoutMs: 15_000 })),
        resize: ({ cols, rows }) => this.#fireAndReport(this.#connection.request('resize', { pid, cols, rows })),
      })
      if (this.#state === 'dead') process.end(HANGUP_EXIT_CODE)
      else this.#processes.set(pid, process)
      this.#replay((event) => (event.type === 'output' || event.type === 'exit') && event.pid === pid)
      return process
    })
  }

  /// The user's own login shell (`$SHELL`), started through `sh` because the agent does not report it.
  shell(): { command: string; args: string[] } {
    return { command: 'sh', args: ['-c', 'exec "${SHELL:-/bin/sh}" -l'] }
  }

  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): Disposable {
    this.#assertAlive('on')
    const listeners = this.#listeners[event] as Set<RuntimeEvents[E]>
    listeners.add(listener)
    return { dispose: () => void listeners.delete(listener) }
  }

  async teardown(): Promise<void> {
    if (this.#state !== 'alive') return
    this.#state = 'tearing-down'
    try {
      await this.#connection.request('teardown', {}, { timeoutMs: TEARDOWN_TIMEOUT_MS })
      const exits = [...this.#processes.values()].map((process) => process.exit)
      await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, EXIT_GRACE_MS))])
    } catch {
      // The agent is gone or did not answer: closing the socket makes it end what this connection started.
    }
    this.#finish('the runtime was torn down')
    this.#clearListeners()
  }

  #onEvent(event: LocalRuntimeEvent): void {
    switch (event.type) {
      case 'output':
      case 'exit': {
        const process = this.#processes.get(event.pid)
        if (!process) return this.#keepEarly(event)
        if (event.type === 'output') process.push(event.data)
        else {
          process.end(event.code)
          this.#processes.delete(event.pid)
        }
        return
      }
      case 'watch': {
        const watch = this.#watches.get(event.watchId)
        if (!watch) return this.#keepEarly(event)
        if (!watch.disposed) watch.listener({ type: event.event, path: event.path })
        return
      }
      case 'port':
        this.#previews.track(event.port, event.state, event.url)
        this.#emit('port', event.port, event.state, event.url)
        return
      case 'server-ready':
        this.#emit('server-ready', event.port, event.url)
        return
      case 'error':
        this.#emit('error', { message: event.message })
        return
    }
  }

  /// Awaits a `spawn` or `watch` request and hands its result to `register` in the same turn. Meanwhile, events
  /// for targets not registered yet are kept for `#replay`.
  async #register<T, R>(request: Promise<T>, register: (result: T) => R): Promise<R> {
    this.#registering += 1
    try {
      return register(await request)
    } finally {
      this.#registering -= 1
      if (this.#registering === 0) this.#early = []
    }
  }

  #keepEarly(event: LocalRuntimeEvent): void {
    if (this.#registering > 0) this.#early.push(event)
  }

  #replay(matches: (event: LocalRuntimeEvent) => boolean): void {
    const early = this.#early
    this.#early = early.filter((event) => !matches(event))
    for (const event of early) if (matches(event)) this.#onEvent(event)
  }

  #emit<E extends keyof RuntimeEvents>(event: E, ...args: Parameters<RuntimeEvents[E]>): void {
    for (const listener of [...this.#listeners[event]] as ((...a: typeof args) => void)[]) listener(...args)
  }

  /// Ends everything on this side: no request may be sent after this.
  #finish(reason: string): void {
    if (this.#state === 'dead') return
    this.#state = 'dead'
    this.#deadReason = reason
    this.#previews.dispose()
    this.#connection.close()
    for (const process of this.#processes.values()) process.end(HANGUP_EXIT_CODE)
    this.#processes.clear()
    for (const watch of [...this.#watches.values(), ...this.#pendingWatches]) watch.disposed = true
    this.#watches.clear()
    this.#pendingWatches.clear()
  }

  #clearListeners(): void {
    for (const listeners of Object.values(this.#listeners)) listeners.clear()
  }

  #fireAndReport(request: Promise<unknown>): void {
    request.catch((error: unknown) => {
      if (!isGone(error) && this.#state === 'alive') this.#emit('error', { message: describe(error) })
    })
  }

  #assertAlive(operation: string): void {
    if (this.#state !== 'alive') {
      throw new LocalRuntimeError(operation, {
        code: 'disconnected',
        message: this.#deadReason || 'the runtime is being torn down',
      })
    }
  }

  #watch(path: string, listener: (event: WatchEvent) => void): Disposable {
    this.#assertAlive('fs.watch')
    const record: WatchRecord = { listener, watchId: null, disposed: false }
    this.#pendingWatches.add(record)
    this.#register(this.#connection.request('watch', { path }, { path }), ({ watchId }) => {
      this.#pendingWatches.delete(record)
      if (record.disposed) this.#fireAndReport(this.#connection.request('unwatch', { watchId }))
      else {
        record.watchId = watchId
        this.#watches.set(watchId, record)
        this.#replay((event) => event.type === 'watch' && event.watchId === watchId)
      }
    }).catch((error: unknown) => {
      this.#pendingWatches.delete(record)
      if (!record.disposed && this.#state === 'alive') this.#emit('error', { message: describe(error) })
    })
    return {
      dispose: () => {
        if (record.disposed) return
        record.disposed = true
        if (record.watchId === null || this.#state !== 'alive') return
        this.#watches.delete(record.watchId)
        this.#fireAndReport(this.#connection.request('unwatch', { watchId: record.watchId }))
      },
    }
  }

  #createFs(): RuntimeFs {
    const connection = this.#connection
    const alive = (operation: string) => this.#assertAlive(`fs.${operation}`)
    function readFile(path: string): Promise<Uint8Array>
    function readFile(path: string, encoding: 'utf-8'): Promise<string>
    async function readFile(path: string, encoding?: 'utf-8'): Promise<Uint8Array | string> {
      alive('readFile')
      const { data } = await connection.request('readFile', { path, encoding: encoding ?? 'base64' }, { path })
      return encoding === undefined ? decodeBase64(data) : data
    }
    return {
      readFile,
      async writeFile(path, data) {
        alive('writeFile')
        const wire =
          typeof data === 'string'
            ? { data, encoding: 'utf-8' as const }
            : { data: encodeBase64(data), encoding: 'base64' as const }
        await connection.request('writeFile', { path, ...wire }, { path })
      },
      async mkdir(path, options) {
        alive('mkdir')
        await connection.request('mkdir', { path, recursive: options?.recursive ?? false }, { path })
      },
      async rm(path, options) {
        alive('rm')
        await connection.request(
          'rm',
          { path, recursive: options?.recursive ?? false, force: options?.force ?? false },
          { path },
        )
      },
      async rename(from, to) {
        alive('rename')
        await connection.request('rename', { from, to }, { path: `${from} → ${to}` })
      },
      async readdir(path): Promise<DirEntry[]> {
        alive('readdir')
        const { entries } = await connection.request('readdir', { path }, { path })
        return entries.map(({ name, kind }) => ({ name, kind }))
      },
      watch: (path, listener) => this.#watch(path, listener),
    }
  }
}

function isGone(error: unknown): boolean {
  return error instanceof LocalRuntimeError && (error.code === 'no_such_process' || error.code === 'disconnected')
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
