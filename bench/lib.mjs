// What every benchmark shares: where things are, the build it measures, the production server, the bare Hono
// baseline and the local runtime agent as child processes, a throwaway Postgres database, HTTP exchanges with their
// wire bytes, Chromium, quantiles, and cleanup that runs however a bench ends.
//
// Benches run under `node --import tsx` (the `@slipway/bench` scripts; `pnpm bench:*` at the root), because
// `@slipway/shared`, whose protocol constants they use, is TypeScript.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { CHROMIUM, CHROMIUM_FLAGS } from '@slipway/e2e/chromium'
import { HealthSchema, JSON_CONTENT_TYPE, SESSION_COOKIE_NAMES } from '@slipway/shared'
import postgres from 'postgres'
import { ensureBuilt, newestMtime } from '../server/scripts/bootstrap.mjs'

export { CHROMIUM, CHROMIUM_FLAGS }

/// The repository's root folder.
export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/// Where benches write their JSON (git-ignored).
export const RESULTS_DIR = path.join(ROOT, 'bench/results')
/// The production server bundle.
export const SERVER_MAIN = path.join(ROOT, 'server/dist/main.js')
const WEB_INDEX = path.join(ROOT, 'web/dist/index.html')
/// What the server bundle is built from.
const SERVER_SOURCES = ['shared', 'server/src', 'server/scripts', 'server/package.json']

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/// Nearest-rank quantile `q` (0 to 1) of the finite values in `xs`; null when there are none.
export function quantile(xs, q) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return null
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

/// `x` rounded to `digits` decimals; anything that is not a finite number comes back as it is.
export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x)

/// Count, nearest-rank quantiles (`p50`, `p95`… for `qs`), min, max and mean of the finite values in `xs`, each
/// rounded to `digits` decimals when given.
export function stats(xs, { qs = [0.5, 0.95], digits } = {}) {
  const v = xs.filter((x) => Number.isFinite(x))
  const r = (x) => (digits === undefined || x === null ? x : round(x, digits))
  const out = { n: v.length }
  for (const q of qs) out[`p${Math.round(q * 100)}`] = r(quantile(v, q))
  out.min = v.length ? r(Math.min(...v)) : null
  out.max = v.length ? r(Math.max(...v)) : null
  out.mean = v.length ? r(v.reduce((a, b) => a + b, 0) / v.length) : null
  return out
}

/// A seeded PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed, so two runs make the same data.
export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/// At least `bytes` bytes (ASCII) of lines from `nextLine()`, joined and ending with a newline.
export function linesOf(bytes, nextLine) {
  const lines = []
  let n = 0
  while (n < bytes) {
    const line = nextLine()
    lines.push(line)
    n += line.length + 1
  }
  return lines.join('\n') + '\n'
}

/// A timestamp for result file names.
export const fileStamp = (date = new Date()) => date.toISOString().replace(/[:.]/g, '-')

// ---------------------------------------------------------------------------------------------------------------
// Cleanup

/// Steps that undo what a bench set up, run last-first and once: by `run()` when the bench ends, whichever way, or on
/// SIGINT / SIGTERM, after which the process exits with 130. A step that fails is reported and the others still run.
export function createCleanup(log = (message) => process.stderr.write(`bench: ${message}\n`)) {
  const steps = []
  let running
  const run = () =>
    (running ??= (async () => {
      while (steps.length) {
        try {
          await steps.pop()()
        } catch (err) {
          log(`a cleanup step failed: ${err instanceof Error ? err.message : err}`)
        }
      }
    })())
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}, cleaning up…`)
      void run().finally(() => process.exit(130))
    })
  }
  return { add: (step) => void steps.push(step), run }
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

/// A TCP port free on the loopback interface right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/// Starts `command args` and waits until it is ready: `ready` is a RegExp tested against its stdout so far (`started`
/// resolves with the match), or an async check polled every 50 ms. Its stop is added to `cleanup` before it starts,
/// so a process that never gets ready is stopped too. `stop()` sends SIGTERM (to the whole process group when
/// `detached`), SIGKILL after `killAfterMs`, and waits for the exit. `tail()` is the last 4,000 characters of its
/// output, which errors quote; `onStderr` sees every chunk of stderr.
export function startProcess(name, command, args, options) {
  const { cleanup, ready, env = process.env, cwd = ROOT, detached = false, timeoutMs = 60_000, killAfterMs = 20_000, onStderr } = options
  const child = spawn(command, args, { cwd, env, detached, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let output = ''
  let tail = ''
  const keep = (chunk) => (tail = (tail + chunk).slice(-4000))
  child.stderr.on('data', (chunk) => {
    keep(chunk)
    onStderr?.(chunk)
  })
  child.stdout.on('data', (chunk) => {
    keep(chunk)
    if (output.length < 100_000) output += chunk
  })
  const signal = (sig) => {
    try {
      if (detached) process.kill(-child.pid, sig)
      else child.kill(sig)
    } catch {
      // already gone
    }
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal('SIGTERM')
      const timer = setTimeout(() => signal('SIGKILL'), killAfterMs)
      await exited
      clearTimeout(timer)
    }
    if (detached) signal('SIGKILL') // whatever it started that is still in its group
  }
  cleanup.add(stop)
  const started = new Promise((resolve, reject) => {
    let done = false
    const finish = (fn) => {
      if (done) return
      done = true
      clearTimeout(timer)
      fn()
    }
    const timer = setTimeout(() => finish(() => reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${tail}`))), timeoutMs)
    void exited.then(({ code, signal: sig }) => finish(() => reject(new Error(`${name} exited (${sig ?? code}) before it was ready:\n${tail}`))))
    if (ready instanceof RegExp) {
      const check = () => {
        const match = ready.exec(output)
        if (match) finish(() => resolve(match))
      }
      child.stdout.on('data', check)
    } else {
      void (async () => {
        while (!done) {
          if (await ready().catch(() => false)) finish(() => resolve(true))
          else await sleep(50)
        }
      })()
    }
  })
  return { child, pid: child.pid, started, stop, exited, tail: () => tail }
}

/// The server bundle to run, built when needed. Nothing built yet (or, with `web`, no web/dist): the full build.
/// With `rebuild` off what is there is used as it is. Otherwise a bench that measures the web app (`web`) gets
/// everything rebuilt when any source is newer, as `pnpm start` does; one that measures the server gets only the
/// server bundle rebuilt, and only when its sources changed: a half-edited web/ must not stop it.
export async function ensureBuild({ web = false, rebuild = true } = {}) {
  if (!existsSync(SERVER_MAIN) || (web && !existsSync(WEB_INDEX)) || (web && rebuild)) {
    await ensureBuilt()
  } else if (rebuild && serverSourcesMtime() > statSync(SERVER_MAIN).mtimeMs) {
    process.stdout.write('Rebuilding server/dist/main.js (server sources changed)…\n')
    const code = await new Promise((resolve) => {
      spawn(process.execPath, ['scripts/build.mjs'], { cwd: path.join(ROOT, 'server'), stdio: 'inherit' }).once('exit', resolve)
    })
    if (code !== 0) throw new Error(`the server build failed (server/scripts/build.mjs, exit ${code})`)
  }
  if (!existsSync(SERVER_MAIN) || (web && !existsSync(WEB_INDEX))) throw new Error('the build left no server/dist/main.js or web/dist/index.html')
  return SERVER_MAIN
}

/// Newest modification time (ms) of the sources the server bundle is built from.
export const serverSourcesMtime = () => newestMtime(SERVER_SOURCES)

/// The production server (`node server/dist/main.js`, or another build's `main`) on a free port of 127.0.0.1, ready
/// once `GET /api/health` answers what the contract says. Postgres when `env.DATABASE_URL` is set, else PGlite in a
/// temporary folder that is removed after it stops. Pages and requests use `origin` (`PUBLIC_URL`), on `publicHost`.
export async function startServer({ cleanup, main = SERVER_MAIN, env = {}, nodeArgs = [], publicHost = '127.0.0.1', onStderr }) {
  const port = await freePort()
  const origin = `http://${publicHost}:${port}`
  let dataDir = env.SLIPWAY_DATA_DIR
  if (!dataDir) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-server-'))
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }))
  }
  const server = startProcess('the server', process.execPath, [...nodeArgs, main], {
    cleanup,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: origin, SLIPWAY_DATA_DIR: dataDir, ...env },
    ready: async () => {
      const res = await request(port, { path: '/api/health' })
      return res.status === 200 && HealthSchema.safeParse(JSON.parse(res.body.toString('utf8'))).success
    },
    onStderr,
  })
  await server.started
  return { ...server, port, origin }
}

/// The baseline of the load benches (bench/baseline-server.mjs): a bare Hono app answering `GET /`, in a process of
/// its own so it gets a core the way the server does.
export async function startBaselineServer({ cleanup }) {
  const port = await freePort()
  const baseline = startProcess('the baseline server', process.execPath, [path.join(ROOT, 'bench/baseline-server.mjs')], {
    cleanup,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    ready: /^ready /m,
  })
  await baseline.started
  return { ...baseline, port, url: `http://127.0.0.1:${port}/` }
}

/// The `slipway-runtime` command of @slipway/runtime-agent, built from its current sources: what a person running
/// it with npx gets.
function runtimeAgentCommand() {
  const manifest = fileURLToPath(import.meta.resolve('@slipway/runtime-agent/package.json'))
  const dir = path.dirname(manifest)
  const built = spawnSync(process.execPath, [path.join(dir, 'scripts/build.mjs')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building @slipway/runtime-agent failed:\n${built.stderr}`)
  return path.join(dir, JSON.parse(readFileSync(manifest, 'utf8')).bin['slipway-runtime'])
}

/// The local runtime agent (its built command, in a process group of its own so stopping it stops what its
/// terminals started), allowing `origin`, on a free port, with its projects under `dataDir`. Resolves once it prints
/// its URL. The agent's own settings in this environment (SLIPWAY_RUNTIME_*, e.g. a token file) are not passed on,
/// and terminals get `sh`: a login bash on this machine may wait on a lock a killed shell left behind.
export async function startRuntimeAgent({ cleanup, dataDir, origin }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLIPWAY_RUNTIME_')))
  const agent = startProcess('the runtime agent', process.execPath, [runtimeAgentCommand(), '--port', '0', '--data-dir', dataDir, '--origin', origin], {
    cleanup,
    cwd: dataDir,
    env: { ...env, SHELL: '/bin/sh' },
    detached: true,
    killAfterMs: 5_000,
    ready: /^SLIPWAY_RUNTIME_URL=(\S+)$/m,
  })
  const match = await agent.started
  return { ...agent, url: match[1] }
}

// ---------------------------------------------------------------------------------------------------------------
// Postgres and HTTP

/// A fresh database `<prefix>_<random>` on the server of `adminUrl`, dropped by `cleanup`. Returns its name and URL.
export async function createDatabase(adminUrl, { cleanup, prefix = 'slipway_bench' }) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 })
  try {
    await admin.unsafe(`create database ${name}`)
  } catch (err) {
    await admin.end({ timeout: 5 })
    throw new Error(`could not create a database on ${adminUrl} (${err.message}); --pg-url names the admin connection`)
  }
  cleanup.add(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end({ timeout: 5 })
  })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString() }
}

/// One HTTP exchange with 127.0.0.1:`port` on a connection of its own, so the socket's byte counters are exactly this
/// request's wire bytes. Resolves with status, headers, body (a Buffer), wire bytes and the time it took.
export function request(port, { method = 'GET', path: p, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks),
          wire: { sent: req.socket.bytesWritten, received: req.socket.bytesRead },
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/// `res` when its status is `status`; otherwise an error naming `what`, the status and the start of the body.
export function expectStatus(res, status, what) {
  if (res.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`)
  }
  return res
}

/// A JSON request to the server of `port` from the page origin `origin`, with `cookie` when given.
export function jsonRequest(port, origin, method, p, body, { cookie, headers = {} } = {}) {
  return request(port, {
    method,
    path: p,
    headers: { 'content-type': JSON_CONTENT_TYPE, origin, ...(cookie ? { cookie } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/// A new account on the server of `port`; its session cookie (`name=value`) and user. `headers` go with the request
/// (signups are rate-limited per client address: a distinct `x-forwarded-for` behind a trusted proxy is another one).
export async function signup(port, origin, { headers } = {}) {
  const credentials = { email: `bench-${randomBytes(6).toString('hex')}@example.com`, password: randomBytes(12).toString('base64url') }
  const res = expectStatus(await jsonRequest(port, origin, 'POST', '/api/auth/signup', credentials, { headers }), 201, 'signup')
  const name = SESSION_COOKIE_NAMES.http
  const cookie = [res.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`))
  if (!cookie) throw new Error(`signup answered without a ${name} cookie`)
  return { cookie, user: JSON.parse(res.body.toString('utf8')).user }
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium

/// Debian's Chromium through Playwright, with the flags the e2e suite uses; closed by `cleanup`.
export async function launchChromium({ cleanup, headed = false }) {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: !headed, args: CHROMIUM_FLAGS })
  cleanup.add(() => browser.close())
  return browser
}

/// A browser context on a profile of its own in a temporary folder (removed at cleanup), as a person's browser has:
/// unlike `browser.newContext()` (off the record: an in-memory HTTP cache and no V8 code cache), a page here loads
/// scripts it has seen before from the disk cache with their compiled code.
export async function launchProfileContext({ cleanup, headed = false, options = {} }) {
  const { chromium } = await import('playwright-core')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-profile-'))
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: !headed, args: CHROMIUM_FLAGS, ...options })
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }))
  cleanup.add(() => context.close())
  return context
}

/// A first visit's compressed transfer until the app says it works offline: a fresh context with service workers
/// allowed opens `path`, and every response that came over the wire (the page's and the service worker's own
/// precache fetches, which Playwright reports on the context) is summed — encoded body + headers, as
/// `request.sizes()` has them — until `[data-testid="app.offline-ready"]` shows (AppUpdateBanner: workbox-window's
/// first `installed`, i.e. the service worker installed with its precache complete). Responses the service worker
/// answered from its cache are not counted (their network fetch is).
export async function firstVisitTransfer(browser, origin, { path: p = '/', timeoutMs = 120_000, viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport })
  const rows = []
  const pending = []
  let done = false
  context.on('requestfinished', (req) => {
    if (done) return
    pending.push(
      (async () => {
        const res = await req.response()
        if (!res || res.fromServiceWorker()) return
        const sizes = await req.sizes()
        rows.push({
          url: new URL(req.url()).pathname,
          by: req.serviceWorker() ? 'service worker' : 'page',
          status: res.status(),
          encoding: res.headers()['content-encoding'] ?? 'identity',
          bodyBytes: sizes.responseBodySize,
          headerBytes: sizes.responseHeadersSize,
        })
      })().catch(() => {}),
    )
  })
  try {
    const page = await context.newPage()
    const t0 = Date.now()
    await page.goto(`${origin}${p}`, { waitUntil: 'commit' })
    await page.locator('[data-testid="app.offline-ready"]').waitFor({ timeout: timeoutMs })
    const ms = Date.now() - t0
    done = true
    await Promise.all(pending)
    const sum = (xs) => xs.reduce((a, r) => a + r.bodyBytes + r.headerBytes, 0)
    const encodings = {}
    for (const r of rows) encodings[r.encoding] = (encodings[r.encoding] ?? 0) + r.bodyBytes
    return {
      path: p,
      msUntilOfflineReady: ms,
      responses: rows.length,
      bytes: sum(rows),
      bodyBytes: rows.reduce((a, r) => a + r.bodyBytes, 0),
      headerBytes: rows.reduce((a, r) => a + r.headerBytes, 0),
      pageBytes: sum(rows.filter((r) => r.by === 'page')),
      serviceWorkerBytes: sum(rows.filter((r) => r.by === 'service worker')),
      bodyBytesByEncoding: encodings,
      largest: [...rows].sort((a, b) => b.bodyBytes - a.bodyBytes).slice(0, 8),
    }
  } finally {
    done = true
    await context.close()
  }
}

