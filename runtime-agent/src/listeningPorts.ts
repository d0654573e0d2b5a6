import { createServer } from 'node:net'
import { listListenSockets, listProcesses, socketInodes, type ListenSocket } from './proc.ts'

export interface PortListener {
  open(port: number, host: string): void
  close(port: number): void
}

/// How long a listening socket not (yet) held by a session member is looked at again: a process that was just
/// spawned may not be registered as a session yet when its server starts listening.
const RECHECK_MS = 10_000

/// Which TCP ports the sessions led by `leaders()` listen on, polled from /proc every `intervalMs`: a LISTEN socket
/// counts as theirs when a session member holds its inode and the agent itself does not (a child between fork and
/// exec still holds the agent's own listening sockets). Only new inodes cost a process scan; an inode found to be
/// theirs stays theirs, one that is not is looked at again for `RECHECK_MS`.
export class PortWatcher {
  private readonly owners = new Map<number, ListenSocket | null>()
  private readonly firstSeen = new Map<number, number>()
  /// Open ports: host to reach it on, and the inode of its socket (a new inode is a restarted server).
  private readonly open = new Map<number, { host: string; inode: number }>()
  private timer: NodeJS.Timeout | undefined
  private running = false

  constructor(
    private readonly leaders: () => ReadonlySet<number>,
    private readonly listener: PortListener,
    private readonly intervalMs = 250,
  ) {}

  /// Starts polling (idempotent).
  start(): void {
    if (this.running) return
    this.running = true
    this.schedule(0)
  }

  /// Stops polling; ports seen open stay as they are, without a `close`.
  stop(): void {
    this.running = false
    clearTimeout(this.timer)
    this.timer = undefined
    this.owners.clear()
    this.firstSeen.clear()
    this.open.clear()
  }

  /// One poll; exposed for tests.
  async poll(): Promise<void> {
    const sockets = await listListenSockets()
    const live = new Set(sockets.map((s) => s.inode))
    for (const inode of this.owners.keys()) if (!live.has(inode)) this.owners.delete(inode)
    for (const inode of this.firstSeen.keys()) if (!live.has(inode)) this.firstSeen.delete(inode)

    const leaders = this.leaders()
    const nowMs = Date.now()
    for (const s of sockets) if (!this.firstSeen.has(s.inode)) this.firstSeen.set(s.inode, nowMs)
    const unknown = sockets.filter(
      (s) => !this.owners.has(s.inode) || (this.owners.get(s.inode) === null && nowMs - this.firstSeen.get(s.inode)! < RECHECK_MS),
    )
    if (unknown.length > 0 && leaders.size > 0) {
      const [ours, agents] = await Promise.all([this.inodesOf(leaders), socketInodes(process.pid)])
      const mine = new Set(agents)
      for (const socket of unknown) this.owners.set(socket.inode, ours.has(socket.inode) && !mine.has(socket.inode) ? socket : null)
    }

    const now = new Map<number, { host: string; inode: number }>()
    for (const socket of this.owners.values()) {
      if (socket === null) continue
      // The same port may listen on IPv4 and IPv6; the wildcard/loopback IPv4 address is the one to reach it on.
      if (!now.has(socket.port) || socket.host === '127.0.0.1') now.set(socket.port, { host: socket.host, inode: socket.inode })
    }
    if (!this.running) return
    for (const [port, seen] of [...this.open]) {
      const current = now.get(port)
      // Gone, or listening on a new socket between two polls (e.g. `node --watch` restarted the server): a close,
      // so the IDE learns the server restarted and reloads its preview when it is ready again.
      if (!current || current.inode !== seen.inode) {
        this.open.delete(port)
        this.listener.close(port)
      }
    }
    for (const [port, current] of now) {
      if (!this.open.has(port)) {
        this.open.set(port, current)
        this.listener.open(port, current.host)
      }
    }
  }

  private async inodesOf(leaders: ReadonlySet<number>): Promise<Set<number>> {
    const members = (await listProcesses()).filter((p) => leaders.has(p.sid) || leaders.has(p.pgid))
    const lists = await Promise.all(members.map((m) => socketInodes(m.pid)))
    return new Set(lists.flat())
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.poll().then(
        () => this.running && this.schedule(this.intervalMs),
        () => this.running && this.schedule(this.intervalMs),
      )
    }, ms)
    this.timer.unref()
  }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the system picks it; it is free again at once).
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
