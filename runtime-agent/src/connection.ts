import { mkdir, realpath, stat } from 'node:fs/promises'
import { LocalRuntimeRequestSchema, type LocalRuntimeRequest, type LocalRuntimeServerMessage } from '@slipway/shared'
import { RuntimeFailure, toWireError } from './errors.ts'
import { mkdirAt, mountAt, readdirAt, readFileAt, renameAt, rmAt, writeFileAt } from './files.ts'
import { resolveInside } from './paths.ts'
import { freePort, PortWatcher } from './listeningPorts.ts'
import { childEnv } from './env.ts'
import type { FolderLease, ProjectFolders } from './folders.ts'
import { spawnProcess, type ManagedProcess } from './processes.ts'
import { startPreviewProxy, type PreviewProxy } from './proxy.ts'
import { startWatch, type Watch } from './watch.ts'

/// Where a connection's frames go, and how full that pipe is.
export interface Channel {
  send(message: LocalRuntimeServerMessage): void
  /// Bytes queued but not yet written to the socket.
  buffered(): number
}

export interface ConnectionOptions {
  /// Which folder of a project this connection works in (`<dataDir>/projects/<project>` for the first connection,
  /// one of its own for each concurrent one: see `ProjectFolders`).
  folders: ProjectFolders
  channel: Channel
  /// Port poll interval (ms).
  portIntervalMs?: number
  /// The IDE origin this connection came from (its WebSocket `Origin`): previews post their console there.
  origin?: string | undefined
}

type Request = LocalRuntimeRequest
type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>

// Output pauses while more than HIGH bytes wait for the socket, and resumes below LOW (a `yes` must not fill memory).
const HIGH_WATER = 8 * 1024 * 1024
const LOW_WATER = 1024 * 1024
// Requests that must not wait behind a slow mount or teardown: keystrokes, resizes, kills.
const IMMEDIATE = new Set<Request['type']>(['input', 'resize', 'kill', 'unwatch'])

/// One client's session with the agent: its project folder, the processes, watches and preview proxies it started.
/// Requests run one after another in arrival order (so a write is seen by the read after it), except `IMMEDIATE`
/// ones. Whatever the connection started, `teardown` and `close` end; `close` then frees its folders.
export class RuntimeConnection {
  private root: string | undefined
  /// The folders this connection opened, per project; held until it closes.
  private readonly leases = new Map<string, FolderLease>()
  /// Variables every process of the open project gets (under the request's own): `PORT` in a concurrent folder.
  private projectEnv: Record<string, string> = {}
  private readonly processes = new Map<number, ManagedProcess>()
  private readonly leaders = new Set<number>()
  private readonly watches = new Map<number, Watch>()
  private readonly previews = new Map<number, Promise<PreviewProxy | undefined>>()
  private readonly ports: PortWatcher
  private nextWatchId = 1
  private queue: Promise<void> = Promise.resolve()
  private paused = false
  private closed = false

  constructor(private readonly options: ConnectionOptions) {
    this.ports = new PortWatcher(() => this.leaders, { open: (p, h) => this.portOpened(p, h), close: (p) => this.portClosed(p) }, options.portIntervalMs)
  }

  /// Handles one incoming frame; never throws. Invalid frames get a `bad_request` response (id -1 when none).
  handleFrame(text: string): void {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      this.fail(-1, 'bad_request', 'frame is not JSON')
      return
    }
    const parsed = LocalRuntimeRequestSchema.safeParse(json)
    if (!parsed.success) {
      const id = (json as { id?: unknown } | null)?.id
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : ''
      this.fail(Number.isInteger(id) ? (id as number) : -1, 'bad_request', `invalid request${where}: ${issue?.message ?? 'unknown'}`)
      return
    }
    const request = parsed.data
    if (IMMEDIATE.has(request.type)) {
      void this.run(request)
    } else {
      this.queue = this.queue.then(() => this.run(request))
    }
  }

  /// Called when the socket wrote queued bytes; resumes paused output once it drained below the low-water mark.
  drained(): void {
    if (!this.paused || this.options.channel.buffered() > LOW_WATER) return
    this.paused = false
    for (const p of this.processes.values()) p.resume()
  }

  /// Ends everything the connection started (the socket closed); nothing more is sent. Its folders are free for
  /// other connections once that is done.
  async close(): Promise<void> {
    this.closed = true
    const ended = this.teardown()
    for (const lease of this.leases.values()) lease.release(ended)
    this.leases.clear()
    await ended
  }

  private async run(request: Request): Promise<void> {
    try {
      const { result, after } = await this.dispatch(request)
      this.send({ type: 'response', id: request.id, ok: true, result: result ?? null })
      after?.()
    } catch (error) {
      const wire = toWireError(error)
      this.send({ type: 'response', id: request.id, ok: false, error: wire })
    }
  }

  private async dispatch(request: Request): Promise<{ result?: unknown; after?: () => void }> {
    switch (request.type) {
      case 'open':
        return { result: { root: await this.open(request.project) } }
      case 'teardown':
        await this.teardown()
        return {}
      case 'input':
        this.process(request.pid).write(request.data)
        return {}
      case 'resize':
        this.process(request.pid).resize(request.cols, request.rows)
        return {}
      case 'kill':
        await this.process(request.pid).kill()
        return {}
      case 'unwatch':
        await this.watches.get(request.watchId)?.close()
        this.watches.delete(request.watchId)
        return {}
    }
    const root = this.requireRoot()
    switch (request.type) {
      case 'mount':
        await mountAt(root, request.tree)
        return {}
      case 'readFile':
        return { result: { data: await readFileAt(root, request.path, request.encoding) } }
      case 'writeFile':
        await writeFileAt(root, request.path, request.data, request.encoding)
        return {}
      case 'mkdir':
        await mkdirAt(root, request.path, request.recursive)
        return {}
      case 'rm':
        await rmAt(root, request.path, request.recursive, request.force)
        return {}
      case 'rename':
        await renameAt(root, request.from, request.to)
        return {}
      case 'readdir':
        return { result: { entries: await readdirAt(root, request.path) } }
      case 'watch':
        return { result: { watchId: await this.watch(root, request) } }
      case 'spawn':
        return this.spawn(root, request)
      default:
        return unreachable(request)
    }
  }

  private async open(project: string): Promise<string> {
    let lease = this.leases.get(project)
    if (!lease) {
      lease = await this.options.folders.acquire(project)
      if (this.closed) {
        lease.release()
        throw new RuntimeFailure('internal', 'connection closed')
      }
      this.leases.set(project, lease)
    }
    await mkdir(lease.path, { recursive: true })
    this.root = await realpath(lease.path)
    // Two dev servers of one project must not fight over its port: servers that read PORT (the node-server
    // template, Express, Next) get a free one in a concurrent folder; Vite moves to the next port by itself.
    this.projectEnv = lease.slot === 1 ? {} : { PORT: String(await freePort()) }
    return this.root
  }

  private async watch(root: string, request: RequestOf<'watch'>): Promise<number> {
    const absolute = await resolveInside(root, request.path)
    const watchId = this.nextWatchId++
    const watch = await startWatch(
      root,
      absolute,
      ({ event, path }) => this.send({ type: 'watch', watchId, event, path }),
      (error) => this.send({ type: 'error', message: `watch ${watchId}: ${error.message}` }),
    )
    if (this.closed) {
      await watch.close()
    } else {
      this.watches.set(watchId, watch)
    }
    return watchId
  }

  private async spawn(root: string, request: RequestOf<'spawn'>): Promise<{ result: { pid: number }; after: () => void }> {
    const cwd = await resolveInside(root, request.cwd ?? '.')
    const info = await stat(cwd).catch(() => undefined)
    if (!info?.isDirectory()) throw new RuntimeFailure('fs_error', `ENOTDIR: cwd ${JSON.stringify(request.cwd)} is not a folder`, info ? 'ENOTDIR' : 'ENOENT')
    // Events wait until the response carrying the pid went out, so the client knows the pid they name.
    let pending: LocalRuntimeServerMessage[] | undefined = []
    let pid = -1
    const emit = (message: LocalRuntimeServerMessage) => (pending ? pending.push(message) : this.send(message))
    const child = await spawnProcess({
      command: request.command,
      args: request.args,
      cwd,
      env: childEnv(process.env, { ...this.projectEnv, ...request.env }, request.terminal !== undefined),
      terminal: request.terminal,
      onOutput: (data) => {
        emit({ type: 'output', pid, data })
        if (!this.paused && this.options.channel.buffered() > HIGH_WATER) this.pause()
      },
      onExit: (code) => emit({ type: 'exit', pid, code }),
    })
    pid = child.pid
    if (this.closed) {
      await child.kill()
      throw new RuntimeFailure('spawn_failed', 'connection closed')
    }
    this.processes.set(pid, child)
    this.leaders.add(pid)
    this.ports.start()
    if (this.paused) child.pause()
    return {
      result: { pid },
      after: () => {
        const queued = pending ?? []
        pending = undefined
        for (const message of queued) this.send(message)
      },
    }
  }

  private pause(): void {
    this.paused = true
    for (const p of this.processes.values()) p.pause()
  }

  private portOpened(port: number, host: string): void {
    const preview = startPreviewProxy({ host, port }, { parentOrigin: this.options.origin }).then(
      (proxy) => {
        if (this.previews.get(port) !== preview) {
          void proxy.close()
          return undefined
        }
        this.send({ type: 'port', port, state: 'open', url: proxy.url })
        proxy.ready.then(
          () => this.previews.get(port) === preview && this.send({ type: 'server-ready', port, url: proxy.url }),
          () => {},
        )
        return proxy
      },
      (error: unknown) => {
        this.send({ type: 'error', message: `preview proxy for port ${port}: ${error instanceof Error ? error.message : String(error)}` })
        return undefined
      },
    )
    this.previews.set(port, preview)
  }

  private portClosed(port: number): void {
    const preview = this.previews.get(port)
    this.previews.delete(port)
    void preview?.then(async (proxy) => {
      if (!proxy) return
      await proxy.close()
      this.send({ type: 'port', port, state: 'close', url: proxy.url })
    })
  }

  private async teardown(): Promise<void> {
    this.ports.stop()
    const processes = [...this.processes.values()]
    const watches = [...this.watches.values()]
    const previews = [...this.previews.entries()]
    this.processes.clear()
    this.leaders.clear()
    this.watches.clear()
    this.previews.clear()
    this.paused = false
    await Promise.all([
      ...processes.map((p) => p.kill()),
      ...watches.map((w) => w.close()),
      ...previews.map(async ([port, preview]) => {
        const proxy = await preview
        if (!proxy) return
        await proxy.close()
        this.send({ type: 'port', port, state: 'close', url: proxy.url })
      }),
    ])
  }

  private process(pid: number): ManagedProcess {
    const child = this.processes.get(pid)
    if (!child) throw new RuntimeFailure('no_such_process', `no process ${pid} was started by this connection`)
    return child
  }

  private requireRoot(): string {
    if (this.root === undefined) throw new RuntimeFailure('not_open', 'send "open" with a project first')
    return this.root
  }

  private fail(id: number, code: 'bad_request', message: string): void {
    this.send({ type: 'response', id, ok: false, error: { code, message } })
  }

  private send(message: LocalRuntimeServerMessage): void {
    if (!this.closed) this.options.channel.send(message)
  }
}

function unreachable(value: never): never {
  throw new RuntimeFailure('internal', `unhandled request ${JSON.stringify(value)}`)
}
