import { request } from 'node:http'
import { listeningSockets, listProcesses, processTree, socketInodes, type ListeningSocket } from './procfs.ts'

export interface PortWatcherEvents {
  port(port: number, type: 'open' | 'close', url: string): void
  serverReady(port: number, url: string): void
}

/// Emulates WebContainer's `port` and `server-ready` events for real processes: polls `/proc/net/tcp{,6}` for
/// listening sockets, attributes new ones to the watched process trees through `/proc/<pid>/fd`, reports `open`
/// and `close`, and `server-ready` once the port answers an HTTP request. The URL is the server's own loopback
/// address (WebContainer would give an origin of its own per port).
export class PortWatcher {
  readonly #roots: () => Iterable<number>
  readonly #events: PortWatcherEvents
  readonly #intervalMs: number
  /// Listening sockets seen so far: ours by inode, and others' (so they are looked up once).
  readonly #ours = new Map<number, ListeningSocket>()
  readonly #foreign = new Set<number>()
  #timer: ReturnType<typeof setTimeout> | null = null
  #stopped = false

  constructor(roots: () => Iterable<number>, events: PortWatcherEvents, intervalMs = 100) {
    this.#roots = roots
    this.#events = events
    this.#intervalMs = intervalMs
    this.#schedule()
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
  }

  #schedule(): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#poll().finally(() => this.#schedule())
    }, this.#intervalMs)
  }

  async #poll(): Promise<void> {
    const listening = await listeningSockets()
    for (const [inode, socket] of this.#ours) {
      if (listening.has(inode)) continue
      this.#ours.delete(inode)
      const stillOpen = [...this.#ours.values()].some(({ port }) => port === socket.port)
      if (!stillOpen && !this.#stopped) this.#events.port(socket.port, 'close', urlOf(socket))
    }
    for (const inode of this.#foreign) if (!listening.has(inode)) this.#foreign.delete(inode)
    const fresh = [...listening.values()].filter(({ inode }) => !this.#ours.has(inode) && !this.#foreign.has(inode))
    if (fresh.length === 0) return
    const roots = [...this.#roots()]
    const owned = roots.length === 0 ? new Set<number>() : await socketInodes(processTree(await listProcesses(), roots))
    for (const socket of fresh) {
      if (!owned.has(socket.inode)) {
        this.#foreign.add(socket.inode)
        continue
      }
      if (this.#stopped) return
      // A dual-stack server holds two sockets on one port; report the port once.
      const known = [...this.#ours.values()].some(({ port }) => port === socket.port)
      this.#ours.set(socket.inode, socket)
      if (known) continue
      const url = urlOf(socket)
      this.#events.port(socket.port, 'open', url)
      void this.#announceWhenServing(socket.inode, socket.port, url)
    }
  }

  async #announceWhenServing(inode: number, port: number, url: string): Promise<void> {
    while (!this.#stopped && this.#ours.has(inode)) {
      if (await answersHttp(url)) {
        if (!this.#stopped) this.#events.serverReady(port, url)
        return
      }
      await new Promise((resolve) => setTimeout(resolve, this.#intervalMs))
    }
  }
}

function urlOf(socket: ListeningSocket): string {
  return `http://${socket.host}:${socket.port}`
}

function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(url, { method: 'HEAD', timeout: 1000 }, (response) => {
      response.resume()
      resolve(true)
    })
    probe.on('timeout', () => probe.destroy())
    probe.on('error', () => resolve(false))
    probe.end()
  })
}
