import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { AiStreamEventSchema } from '@slipway/shared'
import type { AiMessagesRequest, AiStreamEvent } from '@slipway/shared'
import type { AiConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { AiUsageRepo } from '../ports.ts'
import { createJsonLogger } from '../logger.ts'
import { Secret } from '../secret.ts'
import type { TestAppOptions } from './app.ts'
import { TestClient, testApp } from './app.ts'

/// A key the fake accepts, built at runtime so this file holds nothing a secret scanner would flag.
export const FAKE_KEY = ['sk-ant-', 'test-', 'Zq8vN3rT5wX7yB2c'].join('')

export const aiConfig = (fakeUrl: string, o: Partial<Omit<AiConfig, 'apiKey'>> & { key?: string } = {}): AiConfig => ({
  apiKey: new Secret(o.key ?? FAKE_KEY),
  baseUrl: fakeUrl,
  models: o.models ?? ['claude-sonnet-5-5', 'claude-haiku-5-5'],
  maxTokens: o.maxTokens ?? 4096,
  dailyTokens: o.dailyTokens ?? 1_000_000,
})

/// Quick retries for tests (the default policy waits seconds).
export const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 }

/// Log lines as the production JSON logger writes them.
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(createJsonLogger((l) => lines.push(l)), { lines })
}

/// The app on a real socket (the AI routes stream, and a client going away must be a closed connection), reached at
/// `base`, its own PUBLIC_URL.
export async function servedApp(o: Omit<TestAppOptions, 'publicUrl'>) {
  let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | undefined
  const server = createAdaptorServer({ fetch: (req: Request, env: unknown) => handler!(req, env) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://localhost:${port}`
  const app = await testApp({ ...o, publicUrl: base })
  handler = (req, env) => app.fetch(req, env as never)
  return {
    app,
    base,
    /// A signed-up user (signed up in process, from an address of its own, so signup limits never trip).
    user: async () => {
      const http = new TestClient(app)
      const res = await http.request('POST', `${base}/api/auth/signup`, { json: { email: `ai${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery' } })
      if (res.status !== 201) throw new Error(`signup failed: ${res.status}`)
      return new AiUser(base, http.cookie!)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/// A browser-like caller over HTTP: session cookie, the app's own Origin, JSON bodies.
export class AiUser {
  constructor(
    readonly base: string,
    readonly cookie: string | undefined,
  ) {}

  post(body: unknown, init: { signal?: AbortSignal; headers?: Record<string, string>; raw?: string } = {}) {
    return fetch(`${this.base}/api/ai/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base, ...(this.cookie ? { cookie: this.cookie } : {}), ...init.headers },
      body: init.raw ?? JSON.stringify(body),
      ...(init.signal ? { signal: init.signal } : {}),
    })
  }

  async status() {
    return (await fetch(`${this.base}/api/ai/status`, { headers: this.cookie ? { cookie: this.cookie } : {} })).json()
  }

  /// Posts and reads the whole stream (or, with `until`, up to the event it returns true for, then aborts).
  async ask(body: AiMessagesRequest | unknown, until?: (e: AiStreamEvent, all: AiStreamEvent[]) => boolean) {
    const controller = new AbortController()
    const res = await this.post(body, { signal: controller.signal })
    if (res.status !== 200) return { res, events: [] as AiStreamEvent[], error: await res.json() }
    const events = await readEvents(res, until ? (e, all) => (until(e, all) ? (controller.abort(), true) : false) : undefined)
    return { res, events, error: undefined }
  }
}

/// Parses a `text/event-stream` of AiStreamEvents; checks each against the shared schema and its `event:` line.
export async function readEvents(res: Response, stop?: (e: AiStreamEvent, all: AiStreamEvent[]) => boolean): Promise<AiStreamEvent[]> {
  const events: AiStreamEvent[] = []
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const name = /^event: (.+)$/m.exec(frame)?.[1]
        const data = /^data: (.+)$/m.exec(frame)?.[1]
        const event = AiStreamEventSchema.parse(JSON.parse(data!))
        if (event.type !== name) throw new Error(`event line ${name} for a ${event.type} event`)
        events.push(event)
        if (stop?.(event, events)) return events
      }
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err
  }
  return events
}

export const textOf = (events: AiStreamEvent[]) =>
  events
    .filter((e) => e.type === 'text')
    .map((e) => (e as { text: string }).text)
    .join('')

export const ask = (text: string, extra: Partial<AiMessagesRequest> = {}): AiMessagesRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra })

/// Holds back the budget's settlements while closed (the rest of the repo passes straight through): a call's end can
/// then be watched while its tokens are not yet written.
export class SettleGate {
  private closed = false
  /// Every settlement waits this long first, even with the gate open.
  delayMs = 0
  private readonly waiters: Array<() => void> = []
  /// Settlements waiting at the gate now.
  waiting = 0

  close() {
    this.closed = true
  }

  open() {
    this.closed = false
    for (const go of this.waiters.splice(0)) go()
  }

  wrap = (real: AiUsageRepo): AiUsageRepo => ({
    reserve: (...a) => real.reserve(...a),
    renew: (...a) => real.renew(...a),
    used: (...a) => real.used(...a),
    settle: async (...a) => {
      if (this.delayMs > 0) await new Promise((go) => setTimeout(go, this.delayMs))
      if (this.closed) {
        this.waiting++
        await new Promise<void>((go) => this.waiters.push(go))
        this.waiting--
      }
      return real.settle(...a)
    },
  })
}
