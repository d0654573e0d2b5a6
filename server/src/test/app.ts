import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { Coep } from '@slipway/shared'
import type { Database } from '../adapters/db/index.ts'
import { createApp } from '../app.ts'
import type { AppDeps } from '../app.ts'
import type { AiConfig } from '../config.ts'
import type { PasswordHasher, SessionPolicy } from '../domain/auth.ts'
import type { IpRange } from '../middleware/client-ip/index.ts'
import type { Quotas } from '../domain/quotas.ts'
import type { ShareRates } from '../domain/share-rates.ts'
import type { Logger } from '../logger.ts'
import type { Clock } from '../ports.ts'

export const FIXTURE_SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))})\n`

/// A tiny built SPA like Vite's output: index.html with the COEP meta tag, hashed assets with precompressed twins.
export async function makeWebDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slipway-web-'))
  await mkdir(path.join(dir, 'assets'))
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><meta name="slipway:coep" content="require-corp"><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>',
  )
  await writeFile(path.join(dir, 'assets/index-AbC123.js'), FIXTURE_SCRIPT)
  await writeFile(path.join(dir, 'assets/index-AbC123.js.br'), brotliCompressSync(FIXTURE_SCRIPT))
  await writeFile(path.join(dir, 'assets/index-AbC123.js.gz'), gzipSync(FIXTURE_SCRIPT))
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  return dir
}

export interface TestAppOptions {
  database: Database
  webDir?: string
  publicUrl?: string
  /// More origins the app is reached at (SLIPWAY_EXTRA_ORIGINS).
  extraOrigins?: string[]
  /// SLIPWAY_TRUSTED_PROXIES, parsed.
  trustedProxies?: IpRange[]
  coep?: Coep
  logger?: Logger
  clock?: Clock
  hasher?: PasswordHasher
  sessionPolicy?: SessionPolicy
  quotas?: Partial<Quotas>
  docCacheBytes?: number
  shareRates?: Partial<ShareRates>
  /// The AI assistant's config (off when absent) and its test tuning.
  ai?: AiConfig
  aiTuning?: AppDeps['aiTuning']
}

export function testApp(o: TestAppOptions) {
  return createApp({
    config: {
      coep: o.coep ?? 'require-corp',
      publicUrl: new URL(o.publicUrl ?? 'http://localhost'),
      webDir: o.webDir ?? '/nonexistent',
      runtimeOrigins: [],
      ...(o.quotas ? { quotas: o.quotas } : {}),
      ...(o.docCacheBytes ? { docCacheBytes: o.docCacheBytes } : {}),
      ...(o.shareRates ? { shareRates: o.shareRates } : {}),
      ...(o.extraOrigins ? { extraOrigins: o.extraOrigins } : {}),
      ...(o.trustedProxies ? { trustedProxies: o.trustedProxies } : {}),
      ...(o.ai ? { ai: o.ai } : {}),
    },
    database: o.database,
    logger: o.logger ?? { info: () => {}, error: () => {} },
    version: '9.9.9-test',
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.hasher ? { hasher: o.hasher } : {}),
    ...(o.sessionPolicy ? { sessionPolicy: o.sessionPolicy } : {}),
    ...(o.aiTuning ? { aiTuning: o.aiTuning } : {}),
  })
}

/// A clock tests move by hand.
export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-01-01T00:00:00Z')) {}
  now() {
    return new Date(this.t)
  }
  advance(ms: number) {
    this.t += ms
  }
}

type App = Awaited<ReturnType<typeof testApp>>

let ipCounter = 0

/// A browser-like client for `app.request`: keeps the session cookie, sends JSON with the right type, and comes
/// from its own IP (so rate limits of one test do not leak into another).
export class TestClient {
  cookie: string | undefined
  readonly ip: string

  constructor(
    private readonly app: App,
    options: { ip?: string } = {},
  ) {
    ipCounter++
    this.ip = options.ip ?? `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`
  }

  async request(method: string, path: string, init: { json?: unknown; body?: Uint8Array | string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookie) headers.cookie = this.cookie
    let body: string | Uint8Array<ArrayBuffer> | undefined
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json'
      body = JSON.stringify(init.json)
    } else if (init.body !== undefined) body = init.body as string | Uint8Array<ArrayBuffer>
    else if (method !== 'GET' && method !== 'HEAD') headers['content-type'] ??= 'application/json'
    const res = await this.app.request(path, { method, headers, body }, { incoming: { socket: { remoteAddress: this.ip } } })
    const setCookie = res.headers.get('set-cookie')
    if (setCookie) {
      const [pair] = setCookie.split(';')
      const value = pair!.slice(pair!.indexOf('=') + 1)
      this.cookie = value === '' || /Max-Age=0/i.test(setCookie) ? undefined : pair
    }
    return res
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, headers ? { headers } : {})
  post = (path: string, json?: unknown) => this.request('POST', path, json === undefined ? {} : { json })

  async signup(email = `u${Math.random().toString(36).slice(2)}@example.com`, password = 'correct horse battery') {
    const res = await this.post('/api/auth/signup', { email, password })
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { user: { id: string; email: string } }).user
  }

  async createProject(name = 'p', template?: string) {
    const res = await this.post('/api/projects', template ? { name, template } : { name })
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { project: { id: string } }).project
  }
}
