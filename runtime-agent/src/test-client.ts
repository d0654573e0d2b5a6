import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { LocalRuntimeServerMessageSchema, type LocalRuntimeServerMessage } from '@slipway/shared'
import WebSocket from 'ws'
import { parseStat } from './proc.ts'

type Response = Extract<LocalRuntimeServerMessage, { type: 'response' }>
type Event = Exclude<LocalRuntimeServerMessage, { type: 'response' }>

/// A test client of the agent over a real WebSocket. Every frame it receives is checked against
/// `LocalRuntimeServerMessageSchema`; frames that fail land in `invalid` (tests assert it stays empty).
export class TestClient {
  readonly events: Event[] = []
  /// When each of `events` arrived (performance.now()).
  readonly arrivals = new Map<Event, number>()
  readonly invalid: unknown[] = []
  /// Every response, in arrival order (raw frames' responses are found here).
  readonly lastResponses: Response[] = []
  private nextId = 1
  private readonly waiting = new Map<number, (r: Response) => void>()
  private readonly watchers = new Set<() => void>()

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const json: unknown = JSON.parse(data.toString())
      const parsed = LocalRuntimeServerMessageSchema.safeParse(json)
      if (!parsed.success) {
        this.invalid.push(json)
        return
      }
      const message = parsed.data
      if (message.type === 'response') {
        this.waiting.get(message.id)?.(message)
        this.waiting.delete(message.id)
        this.lastResponses.push(message)
      } else {
        this.events.push(message)
        this.arrivals.set(message, performance.now())
      }
      for (const w of this.watchers) w()
    })
  }

  static connect(url: string, origin?: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, origin ? { origin } : {})
      ws.once('open', () => resolve(new TestClient(ws)))
      ws.once('unexpected-response', (_req, res) => reject(new Refused(res.statusCode ?? 0)))
      ws.once('error', reject)
    })
  }

  /// Sends a request (an `id` is added) and resolves with its response.
  request(body: { type: string; [key: string]: unknown }): Promise<Response> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.ws.send(JSON.stringify({ id, ...body }))
    })
  }

  /// Like `request`, but fails unless the response is ok; resolves with its result.
  async ok<T = unknown>(body: { type: string; [key: string]: unknown }): Promise<T> {
    const response = await this.request(body)
    if (!response.ok) throw new Error(`${body.type} failed: ${JSON.stringify(response.error)}`)
    return response.result as T
  }

  /// Resolves with the first event (already received or arriving within `ms`) that matches.
  waitFor<E extends Event>(match: (e: Event) => e is E, ms?: number): Promise<E>
  waitFor(match: (e: Event) => boolean, ms?: number): Promise<Event>
  waitFor(match: (e: Event) => boolean, ms = 10_000): Promise<Event> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(match)
        if (!found) return false
        this.watchers.delete(check)
        clearTimeout(timer)
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        this.watchers.delete(check)
        reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(this.events.slice(-20))}`))
      }, ms)
      if (!check()) this.watchers.add(check)
    })
  }

  /// The output of `pid` received so far, concatenated.
  output(pid: number): string {
    return this.events.map((e) => (e.type === 'output' && e.pid === pid ? e.data : '')).join('')
  }

  /// Waits for `pid`'s exit event and returns its code.
  async exit(pid: number, ms?: number): Promise<number> {
    const e = await this.waitFor((e) => e.type === 'exit' && e.pid === pid, ms)
    return (e as Extract<Event, { type: 'exit' }>).code
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close()
    })
  }
}

export class Refused extends Error {
  constructor(readonly status: number) {
    super(`refused with HTTP ${status}`)
  }
}

/// Whether `pid` still runs: a zombie (exited, not yet reaped by whoever inherited it) counts as gone.
export function alive(pid: number): boolean {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state !== 'Z'
  } catch {
    return false
  }
}

/// Whether a TCP port on 127.0.0.1 can be bound.
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
