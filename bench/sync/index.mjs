// `pnpm bench:sync`: load-tests the sync API of the production build on real Postgres, over loopback, with autocannon.
//
//   (a) baseline      bare Hono app on @hono/node-server, `GET /`, 50 connections (its own process)
//   (b) getProject    `GET /api/projects/:id`, 50 connections; (a) and (b) take turns in 5 rounds and the ratio is
//                     pooled over them, so a burst of load from elsewhere lands on both
//   (c) syncPush      `POST /api/projects/:id/sync`, 20 connections on one project; every request is a distinct
//                     1–10 KB Yjs update. Also run with one project per connection (`syncPushSpread`, no target) to
//                     tell per-project lock contention from per-push cost. A project that has taken 40 MB of updates
//                     is swapped for a fresh one with the same files (the 50 MB project limit would answer 413).
//   (d) oneLineEdit   one-line edit in a 1,000-file / 10 MiB project: bytes pushed and pulled
//
// Each load phase runs a short warm-up first (discarded; the sync phases' warm-ups push to projects of their own, so
// the measured project starts the same however fast the warm-up went). Writes bench/results/sync-<timestamp>.json and
// bench/results/latest.json, plus the server's stderr as bench/results/server-<timestamp>.log, and prints a table.
// Exit code 0 even when a target is missed (it is a report); 1 only when the bench itself could not run.
//
// Options (`pnpm bench:sync --duration 2 --warmup 0` is the quickest run that still does every phase):
//   --duration <s>    seconds per load phase (default 10)
//   --warmup <s>      seconds of discarded load before each phase (default 2)
//   --no-build        use server/dist as it is (by default the server bundle is rebuilt when its sources are newer,
//                     and everything is built when nothing is)
//   --pg-url <url>    admin connection (default BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
//   --cpu-prof        run the server under `node --cpu-prof`; the profile (all phases) lands in
//                     bench/results/profile-<timestamp>/ for Chrome DevTools
//
// Needs: Postgres reachable with rights to create databases. Creates `slipway_bench_<random>` and drops it at the end.
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { FILES_MAP, STATE_VECTOR_HEADER, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import autocannon from 'autocannon'
import * as Y from 'yjs'
import {
  createCleanup,
  createDatabase,
  ensureBuild,
  expectStatus,
  fileStamp,
  jsonRequest,
  linesOf,
  mulberry32,
  quantile,
  request,
  RESULTS_DIR,
  ROOT,
  round,
  serverSourcesMtime,
  signup,
  startBaselineServer,
  startServer,
} from '../lib.mjs'

const autocannonVersion = createRequire(import.meta.url)('autocannon/package.json').version
/// Node lower-cases the names of response headers.
const SV_HEADER = STATE_VECTOR_HEADER.toLowerCase()

const THRESHOLDS = {
  getProjectP99Ms: 20,
  getProjectMinRatio: 0.3,
  syncPushP99Ms: 50,
  oneLineEditMaxBytes: 2048,
  errors: 0,
}

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'no-build': { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'cpu-prof': { type: 'boolean', default: false },
  },
})
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
/// (a) and (b) take turns this many times (each turn DURATION / AB_ROUNDS seconds).
const AB_ROUNDS = 5
if (!(DURATION > 0) || !(WARMUP >= 0)) {
  throw new RangeError(`--duration must be > 0 and --warmup >= 0 (got ${args.duration}, ${args.warmup})`)
}

const stamp = fileStamp()

// ---------------------------------------------------------------------------------------------------------------
// Deterministic "code": seeded so two runs push the same bytes.

const WORDS = (
  'user project file state value result config session buffer index handler editor update request response cache ' +
  'entry node token path doc sync client server route item range line text change event store view model query'
).split(' ')
const cap = (w) => w[0].toUpperCase() + w.slice(1)

function codeLine(rng) {
  const w = () => WORDS[Math.floor(rng() * WORDS.length)]
  const id = () => w() + cap(w())
  const indent = '  '.repeat(Math.floor(rng() * 3))
  switch (Math.floor(rng() * 8)) {
    case 0: return `${indent}const ${id()} = ${id()}(${id()}, ${Math.floor(rng() * 1000)})`
    case 1: return `${indent}if (${id()}.${w()} === '${w()}') return ${id()}`
    case 2: return `${indent}export function ${id()}(${w()}: ${cap(w())}, ${w()}?: number): ${cap(w())} {`
    case 3: return `${indent}}`
    case 4: return `${indent}// ${cap(w())} the ${w()} before the ${w()}, so the ${w()} keeps its ${w()}.`
    case 5: return `${indent}await ${w()}.${id()}({ ${w()}: ${id()}, ${w()}: ${rng() < 0.5 ? 'true' : 'null'} })`
    case 6: return `${indent}for (const ${w()} of ${id()}) ${id()}.push(${w()})`
    default: return `${indent}import { ${cap(w())}, ${id()} } from './${w()}/${w()}.ts'`
  }
}

/// At least `bytes` bytes (ASCII) of TypeScript-looking lines, ending with a newline.
const codeText = (rng, bytes) => linesOf(bytes, () => codeLine(rng))

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const b64url = (bytes) => Buffer.from(bytes).toString('base64url')
const kb = (n) => (n >= 1024 * 1024 ? `${round(n / 1024 / 1024, 2)} MiB` : n >= 1024 ? `${round(n / 1024, 2)} KiB` : `${n} B`)

/// CPU seconds (user + system) a process has used, from /proc; `undefined` where there is no /proc.
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return undefined
  }
}

/// CPU seconds of all processes named `postgres` (the cluster's backends, ours and anyone else's).
function postgresCpuSeconds() {
  let total = 0
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += cpuSeconds(pid) ?? 0
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    return undefined
  }
  return total
}

/// A phase during which other processes used more than this (% of one core) is flagged: its numbers are suspect.
const BUSY_OTHER_PCT = 25

/// Processes whose CPU use is reported per phase (filled in once they run).
const watched = {}

/// Where the machine's CPU went, for telling a slow server from a busy machine: the machine total and our processes,
/// in % of one core (a 2-core machine tops out at 200). `other` is everything else running meanwhile.
function cpuSnapshot() {
  let machine
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    machine = { total: f.slice(0, 8).reduce((a, b) => a + b, 0) / 100, idle: (f[3] + f[4]) / 100, steal: (f[7] ?? 0) / 100 }
  } catch {
    machine = undefined
  }
  const procs = Object.fromEntries(Object.entries(watched).map(([name, pid]) => [name, cpuSeconds(pid)]))
  const self = process.cpuUsage()
  procs.bench = (self.user + self.system) / 1e6
  procs.postgres = postgresCpuSeconds()
  return { at: process.hrtime.bigint(), machine, procs }
}

function cpuSince(a, b = cpuSnapshot()) {
  const wall = Number(b.at - a.at) / 1e9
  const pct = (x) => (x === undefined || Number.isNaN(x) ? null : round((x / wall) * 100, 0))
  const out = {}
  let ours = 0
  for (const name of Object.keys(b.procs)) {
    const d = a.procs[name] !== undefined && b.procs[name] !== undefined ? b.procs[name] - a.procs[name] : undefined
    out[name] = pct(d)
    ours += d ?? 0
  }
  if (a.machine && b.machine) {
    const cores = os.cpus().length
    const span = b.machine.total - a.machine.total
    const busy = span > 0 ? ((span - (b.machine.idle - a.machine.idle)) / span) * cores * wall : 0
    out.machine = pct(busy)
    out.other = pct(Math.max(0, busy - ours))
    out.steal = span > 0 ? pct(((b.machine.steal - a.machine.steal) / span) * cores * wall) : null
  }
  return out
}

function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? round(Number(m[1]) / 1024, 1) : undefined
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes and the database: everything set up here is torn down by `cleanup`.

const cleanup = createCleanup()

async function buildInfo(main) {
  const builtAt = statSync(main).mtimeMs
  const git = (a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? ''
  return {
    builtAt: new Date(builtAt).toISOString(),
    staleSources: serverSourcesMtime() > builtAt,
    commit: git(['rev-parse', '--short', 'HEAD']) || null,
    // Uncommitted changes anywhere in the checkout (the build may include some of them).
    dirty: git(['status', '--porcelain']).length > 0,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Load phases

/// Runs autocannon; returns its result, every response's latency (ms, sub-millisecond: autocannon's own histogram
/// rounds to whole milliseconds) and where the CPU went meanwhile.
function load(opts) {
  return new Promise((resolve, reject) => {
    const latencies = []
    const cpu0 = cpuSnapshot()
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => {
      if (err) reject(err)
      else resolve({ result, latencies, cpu: cpuSince(cpu0) })
    })
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
  })
}

/// Several `load` slices of one phase as one: requests, errors and latencies pooled, CPU shares averaged (the slices
/// are equally long).
function mergeLoads(slices) {
  const sum = (f) => slices.reduce((acc, x) => acc + f(x.result), 0)
  const duration = sum((r) => r.duration)
  const total = sum((r) => r.requests.total)
  const statusCodeStats = {}
  for (const { result } of slices) {
    for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + s.count }
  }
  const cpu = {}
  for (const key of Object.keys(slices[0].cpu)) {
    const values = slices.map((x) => x.cpu[key]).filter((v) => v !== null && v !== undefined)
    cpu[key] = values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 0) : null
  }
  return {
    result: {
      connections: slices[0].result.connections,
      duration,
      requests: { total, average: total / duration },
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      non2xx: sum((r) => r.non2xx),
      statusCodeStats,
    },
    latencies: slices.flatMap((x) => x.latencies),
    cpu,
  }
}

function summarize({ result, latencies, cpu }) {
  latencies.sort((a, b) => a - b)
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]))
  return {
    connections: result.connections,
    durationS: round(result.duration, 1),
    requests: result.requests.total,
    rps: round(result.requests.average, 0),
    p50: round(quantile(latencies, 0.50), 2),
    p90: round(quantile(latencies, 0.90), 2),
    p99: round(quantile(latencies, 0.99), 2),
    max: round(latencies.at(-1) ?? null, 2),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    cpu,
    machineBusyElsewhere: cpu.other !== undefined && cpu.other !== null && cpu.other > BUSY_OTHER_PCT,
  }
}

async function warm(opts, what) {
  if (WARMUP <= 0) return
  process.stdout.write(`  warm-up ${what} (${WARMUP} s)…\n`)
  await load({ ...opts, duration: WARMUP })
  await sleep(500)
}

/// A client editing the project: its own Y.Doc (own clientID) that starts from the project's state and keeps
/// inserting 1–10 KB blocks of code at line starts in random files. Each update is exactly what one edit added
/// (`doc.on('update')`), so it applies on top of the server's state once this client's earlier updates have —
/// autocannon keeps one request in flight per connection, and each connection gets one client, so they arrive in
/// order. Updates of different clients never depend on each other.
class EditingClient {
  constructor(projectId, baseUpdate, clientID, seed) {
    this.projectId = projectId
    this.baseUpdate = baseUpdate
    this.seed = seed
    this.clientID = clientID
    this.doc = new Y.Doc()
    this.doc.clientID = clientID
    Y.applyUpdate(this.doc, baseUpdate)
    this.files = this.doc.getMap(FILES_MAP)
    this.paths = [...this.files.keys()]
    this.rng = mulberry32(seed)
    this.ready = []
    this.next = 0
    this.generatedUnderLoad = 0
    this.inflight = undefined
    this.ackedClock = 0
    this.rejected = 0
    this.doc.on('update', (u) => (this.last = u))
  }

  generate() {
    const rng = this.rng
    const text = this.files.get(this.paths[Math.floor(rng() * this.paths.length)])
    const s = text.toString()
    const nl = s.indexOf('\n', Math.floor(rng() * s.length))
    const at = nl === -1 ? s.length : nl + 1
    text.insert(at, codeText(rng, 1024 + Math.floor(rng() * 9 * 1024)))
    return { body: Buffer.from(this.last), clock: Y.getState(this.doc.store, this.clientID) }
  }

  /// A client of its own on `projectId` (a fresh project with the same starting files), seeded from this one: the
  /// one `pregenerate` made ahead of time when it did, the same client made now otherwise.
  successor(projectId) {
    const next = this.heir ?? new EditingClient(undefined, this.baseUpdate, this.clientID + 100_000, this.seed + 100_000)
    next.projectId = projectId
    return next
  }

  /// Generates `n` updates now, and `heirN` for the successor, so that making updates (Yjs work in this process, on
  /// the same two cores as the server and Postgres) stays out of the measured phase.
  pregenerate(n, heirN = 0) {
    for (let i = 0; i < n; i++) this.ready.push(this.generate())
    if (heirN > 0) {
      this.heir = this.successor(undefined)
      this.heir.pregenerate(heirN)
    }
  }

  take() {
    let u = this.ready[this.next]
    if (u) this.ready[this.next++] = undefined
    else {
      u = this.generate()
      this.generatedUnderLoad++
    }
    this.inflight = u
    return u
  }
}

/// Update bytes one project takes before its clients move on to a fresh one with the same starting files. A project
/// holds at most 50 MB of files (`LIMITS.maxProjectBytes`), and 20 clients inserting 1–10 KB blocks fill one in
/// about 10 s at ~900 pushes/s; past that the server rightly answers 413. Every push still goes to one project
/// shared by all 20 clients; only which one changes, once, after 40 MB.
const PROJECT_BUDGET_BYTES = 40 * 1024 * 1024

/// One autocannon connection per EditingClient, each sending its own updates, in order, to its client's project.
/// When a project has taken `PROJECT_BUDGET_BYTES`, each connection's next push goes to a fresh project (`fresh()`,
/// asked for ahead of time) from a new client of its own; `clients` collects every client used.
function syncLoadOptions(port, cookie, clients, stats, fresh) {
  const pathOf = (ec) => `/api/projects/${ec.projectId}/sync`
  const lanes = clients.map((ec) => ({ ec }))
  const sentTo = new Map()
  const successors = new Map()
  const successor = (projectId) => {
    const sent = sentTo.get(projectId) ?? 0
    let next = successors.get(projectId)
    if (!next && sent >= PROJECT_BUDGET_BYTES * 0.6) {
      next = { id: undefined, clients: new Map() }
      successors.set(projectId, next)
      fresh().then((id) => (next.id = id), (err) => process.stderr.write(`bench: no fresh project: ${err.message}\n`))
    }
    return sent >= PROJECT_BUDGET_BYTES ? next?.id : undefined
  }
  let n = 0
  return {
    url: `http://127.0.0.1:${port}${pathOf(clients[0])}`,
    connections: lanes.length,
    method: 'POST',
    setupClient(client) {
      const lane = lanes[n++ % lanes.length]
      client.setRequests([
        {
          method: 'POST',
          path: pathOf(lane.ec),
          headers: { cookie, 'content-type': YJS_UPDATE_CONTENT_TYPE },
          setupRequest(req) {
            const nextId = successor(lane.ec.projectId)
            if (nextId) {
              lane.ec = lane.ec.successor(nextId)
              clients.push(lane.ec)
            }
            const ec = lane.ec
            const u = ec.take()
            lane.inflight = ec
            sentTo.set(ec.projectId, (sentTo.get(ec.projectId) ?? 0) + u.body.length)
            stats.sent++
            stats.bodyBytes += u.body.length
            stats.minBody = Math.min(stats.minBody, u.body.length)
            stats.maxBody = Math.max(stats.maxBody, u.body.length)
            return { ...req, path: pathOf(ec), body: u.body }
          },
          onResponse(status, body) {
            const ec = lane.inflight
            if (status === 200) ec.ackedClock = ec.inflight.clock
            else {
              ec.rejected++
              if (stats.sampleErrors.length < 5) stats.sampleErrors.push({ status, body: String(body).slice(0, 300) })
            }
          },
        },
      ])
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const serverMain = await ensureBuild({ rebuild: !args['no-build'] })
  const build = await buildInfo(serverMain)
  if (build.staleSources) {
    process.stdout.write('Note: sources are newer than server/dist/main.js; benchmarking the existing build (--no-build).\n')
  }

  // Postgres database and the production server.
  const db = await createDatabase(args['pg-url'], { cleanup })
  const logPath = path.join(RESULTS_DIR, `server-${stamp}.log`)
  const log = createWriteStream(logPath)
  cleanup.add(() => new Promise((r) => log.end(r)))
  let serverLog = ''
  const server = await startServer({
    cleanup,
    main: serverMain,
    env: { DATABASE_URL: db.url },
    nodeArgs: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS_DIR, `profile-${stamp}`)}`] : [],
    onStderr: (chunk) => {
      log.write(chunk)
      if (serverLog.length < 1_000_000) serverLog += chunk
    },
  })
  const { port, origin } = server
  const serverPid = server.pid
  watched.server = serverPid

  const baseline = await startBaselineServer({ cleanup })
  watched.baseline = baseline.pid

  // What else is running: the numbers below mean little on a machine that is busy with something else.
  const idle0 = cpuSnapshot()
  await sleep(1000)
  const before = cpuSince(idle0)
  if (before.other !== undefined && before.other > BUSY_OTHER_PCT) {
    process.stdout.write(`Warning: other processes already use ${before.other}% of a core; expect noisy numbers.\n`)
  }

  process.stdout.write(
    `Slipway server pid ${serverPid} on :${port} (database ${db.name}), baseline pid ${baseline.pid} on :${baseline.port}; ` +
      `${DURATION} s per phase after ${WARMUP} s warm-up\n`,
  )

  // Sign up once (signup is rate limited) and keep the session cookie.
  const json = (method, p, body, cookie) => jsonRequest(port, origin, method, p, body, { cookie })
  const { cookie } = await signup(port, origin)
  const createProject = async (name) =>
    JSON.parse((await expectStatus(await json('POST', '/api/projects', { name }, cookie), 201, `create project ${name}`)).body).project.id
  const pushUpdate = async (projectId, update) => {
    const res = await expectStatus(
      await request(port, {
        method: 'POST',
        path: `/api/projects/${projectId}/sync`,
        headers: { cookie, 'content-type': YJS_UPDATE_CONTENT_TYPE, origin },
        body: Buffer.from(update),
      }),
      200,
      'sync push',
    )
    return { res, stateVector: Buffer.from(JSON.parse(res.body).stateVector, 'base64url') }
  }
  const pull = async (projectId, sv) =>
    expectStatus(
      await request(port, { path: `/api/projects/${projectId}/sync${sv ? `?sv=${b64url(sv)}` : ''}`, headers: { cookie } }),
      200,
      'sync pull',
    )

  const results = {}

  // (a) baseline and (b) GET /api/projects/:id, same connections and total duration, interleaved in rounds
  // (a, b, a, b, …): a burst of load from elsewhere on the machine then lands on both rather than on one, and the
  // ratio is pooled over the rounds (each round's own ratio is reported too).
  {
    const a = { url: baseline.url, connections: 50 }
    const id = await createProject('bench get')
    const b = { url: `http://127.0.0.1:${port}/api/projects/${id}`, connections: 50, headers: { cookie } }
    process.stdout.write(`(a) baseline: bare Hono GET /, and (b) GET /api/projects/:id, 50 connections, ${AB_ROUNDS} rounds each\n`)
    await warm(a, 'baseline')
    await warm(b, 'GET project')
    const slices = { a: [], b: [] }
    for (let round = 0; round < AB_ROUNDS; round++) {
      slices.a.push(await load({ ...a, duration: DURATION / AB_ROUNDS }))
      slices.b.push(await load({ ...b, duration: DURATION / AB_ROUNDS }))
    }
    results.baseline = summarize(mergeLoads(slices.a))
    const r = summarize(mergeLoads(slices.b))
    const roundRatios = slices.b.map((x, i) => round(x.result.requests.total / x.result.duration / (slices.a[i].result.requests.total / slices.a[i].result.duration), 3))
    results.getProject = { ...r, ratioToBaseline: round(r.rps / results.baseline.rps, 3), roundRatios }
  }

  // (c) POST sync: 20 clients, each pushing its own stream of 1–10 KB inserts into 100-file projects. Measured twice:
  // all 20 on one project (the target: pushes to one project serialize on its row lock) and, for comparison, one
  // project per client.
  const base = new Y.Doc()
  base.clientID = 1
  {
    const rng = mulberry32(0xc0de)
    base.transact(() => {
      for (let i = 0; i < 100; i++) {
        base.getMap(FILES_MAP).set(`src/feature-${i % 10}/module-${i}.ts`, new Y.Text(codeText(rng, 1024 + Math.floor(rng() * 7 * 1024))))
      }
    })
  }
  const baseUpdate = Y.encodeStateAsUpdate(base)
  let nextClientId = 1000
  // The warm-up pushes to projects of its own (same layout): the measured phase starts from the same 100-file
  // project however fast the warm-up went. (When both pushed to one project, its size at the start depended on the
  // server's speed, and at ~770 rps the warm-up plus a 10 s phase passed the 50 MB project limit: 413s.)
  const syncPhase = async (label, projectIds, warmProjectIds) => {
    const connections = 20
    // Enough for ~1,000 pushes/s over the measured phase: about 375 per client reach the first project before its
    // 40 MB budget moves every client to a fresh one. More are generated on the fly if a client runs out (reported).
    const perClient = Math.ceil(30 * DURATION) + 100
    const perHeir = Math.ceil(40 * DURATION) + 100
    for (const id of new Set([...projectIds, ...warmProjectIds])) await pushUpdate(id, baseUpdate)
    const makeClients = (ids) => ids.map((id) => new EditingClient(id, baseUpdate, nextClientId, 0x5eed + nextClientId++))
    process.stdout.write(`${label}, ${connections} connections: generating ${connections * (perClient + perHeir)} updates…\n`)
    const t0 = Date.now()
    const warmClients = makeClients(warmProjectIds)
    const clients = makeClients(projectIds)
    for (const c of clients) c.pregenerate(perClient, perHeir)
    const generateMs = Date.now() - t0
    const fresh = async () => {
      const id = await createProject(`${label} (fresh)`)
      await pushUpdate(id, baseUpdate)
      return id
    }
    const warmStats = { sent: 0, bodyBytes: 0, minBody: Infinity, maxBody: 0, sampleErrors: [] }
    await warm(syncLoadOptions(port, cookie, warmClients, warmStats, fresh), 'sync')
    const stats = { sent: 0, bodyBytes: 0, minBody: Infinity, maxBody: 0, sampleErrors: [] }
    const r = summarize(await load({ ...syncLoadOptions(port, cookie, clients, stats, fresh), duration: DURATION }))
    await sleep(500)

    // Every update the server acknowledged must be in its state vector (none lost, none half-applied). Asking with a
    // state vector that claims everything keeps the answer small; the server's own comes back in a header.
    let lost = 0
    let bytes = 0
    let fileCount = 0
    const measured = new Set(clients.map((c) => c.projectId))
    for (const id of new Set([...measured, ...warmClients.map((c) => c.projectId)])) {
      const mine = [...warmClients, ...clients].filter((c) => c.projectId === id)
      const claim = new Map([[base.clientID, 2 ** 31], ...mine.map((c) => [c.clientID, 2 ** 31])])
      const head = await pull(id, Y.encodeStateVector(claim))
      const serverSv = Y.decodeStateVector(Buffer.from(head.headers[SV_HEADER], 'base64url'))
      lost += mine.filter((c) => (serverSv.get(c.clientID) ?? 0) < c.ackedClock).length
      if (!measured.has(id)) continue
      const listed = await expectStatus(await json('GET', `/api/projects/${id}/files`, undefined, cookie), 200, 'list files')
      const files = JSON.parse(listed.body).files
      fileCount += files.length
      bytes += files.reduce((sum, f) => sum + f.size, 0)
    }
    return {
      ...r,
      projects: new Set(projectIds).size,
      // Projects pushed to, counting the fresh ones taken after `PROJECT_BUDGET_BYTES`.
      projectsUsed: measured.size,
      meanUpdateBytes: Math.round(stats.bodyBytes / Math.max(1, stats.sent)),
      minUpdateBytes: stats.minBody,
      maxUpdateBytes: stats.maxBody,
      updatesSent: stats.sent,
      updatesGeneratedUnderLoad: clients.reduce((sum, c) => sum + c.generatedUnderLoad, 0),
      pregenerated: connections * (perClient + perHeir),
      pregenerateMs: generateMs,
      warmupErrors: warmStats.sampleErrors.length,
      sampleErrors: stats.sampleErrors,
      ackedUpdatesMissingOnServer: lost,
      projectsAfter: { files: fileCount, bytes },
    }
  }
  {
    const id = await createProject('bench sync')
    const warmId = await createProject('bench sync warm-up')
    results.syncPush = await syncPhase('(c) POST /api/projects/:id/sync, one project', Array(20).fill(id), Array(20).fill(warmId))
  }
  {
    const ids = []
    const warmIds = []
    for (let i = 0; i < 20; i++) ids.push(await createProject(`bench sync ${i}`))
    for (let i = 0; i < 20; i++) warmIds.push(await createProject(`bench sync warm-up ${i}`))
    results.syncPushSpread = await syncPhase('(c′) the same, one project per connection (for comparison, no target)', ids, warmIds)
  }

  // (d) One-line edit in a 1,000-file / 10 MiB project: what goes up (push) and what another client pulls.
  {
    const rng = mulberry32(0xd0c)
    const id = await createProject('bench big')
    const a = new Y.Doc()
    const files = a.getMap(FILES_MAP)
    const paths = []
    const target = 10 * 1024 * 1024
    let total = 0
    let sv = Y.encodeStateVector(new Y.Doc())
    const pushes = []
    process.stdout.write('(d) one-line edit in a 1,000-file / 10 MiB project: pushing the project…\n')
    for (let batch = 0; batch < 4; batch++) {
      a.transact(() => {
        for (let i = batch * 250; i < (batch + 1) * 250; i++) {
          const remaining = 1000 - i
          // Sizes vary around what is left per file, so the total lands on 10 MiB.
          const size = Math.max(200, i === 999 ? target - total : Math.round(((target - total) / remaining) * (0.3 + 1.4 * rng())))
          const p = `packages/pkg-${String(i % 20).padStart(2, '0')}/src/dir-${i % 7}/file-${String(i).padStart(4, '0')}.ts`
          const text = codeText(rng, size)
          files.set(p, new Y.Text(text))
          paths.push(p)
          total += text.length
        }
      })
      const update = Y.encodeStateAsUpdate(a, sv)
      const pushed = await pushUpdate(id, update)
      sv = pushed.stateVector
      pushes.push({ bytes: update.length, ms: round(pushed.res.ms, 0) })
    }

    // B: another client, fully in sync before the edit.
    const b = new Y.Doc()
    const full = await pull(id, undefined)
    Y.applyUpdate(b, full.body)
    const bFiles = b.getMap(FILES_MAP)
    if (bFiles.size !== 1000) throw new Error(`(d) pulled ${bFiles.size} files, expected 1000`)

    // A edits one line of one file: the text of the line is replaced by a changed version of itself.
    const editLine = (editPath, lineNo) => {
      const text = files.get(editPath)
      const s = text.toString()
      let start = 0
      for (let line = 1; line < lineNo; line++) start = s.indexOf('\n', start) + 1
      const end = s.indexOf('\n', start)
      const before = s.slice(start, end)
      const after = /\d+/.test(before) ? before.replace(/\d+/, (d) => String(Number(d) + 1)) : `${before} // edited`
      a.transact(() => {
        text.delete(start, end - start)
        text.insert(start, after)
      })
      return { path: editPath, line: lineNo, before, after }
    }
    const pushAndPull = async (edit) => {
      const update = Y.encodeStateAsUpdate(a, sv)
      const pushed = await pushUpdate(id, update)
      sv = pushed.stateVector
      const pulled = await pull(id, Y.encodeStateVector(b))
      Y.applyUpdate(b, pulled.body)
      if (bFiles.get(edit.path).toString() !== files.get(edit.path).toString()) {
        throw new Error(`(d) the edit of ${edit.path} did not reach the second client`)
      }
      return { update, pushed: pushed.res, pulled }
    }
    const edit = editLine(paths[517], 20)
    const { update, pushed, pulled } = await pushAndPull(edit)

    // More one-line edits in other files, one after another: latency without contention, and how the bodies grow
    // with the doc's history (a Yjs update carries the doc's whole delete set, one range per separate deletion).
    const more = []
    for (let k = 0; k < 50; k++) more.push(await pushAndPull(editLine(paths[(k * 37 + 11) % paths.length], 5 + (k % 30))))
    const ms = (list) => ({ p50: round(quantile(list, 0.5), 1), max: round(Math.max(...list), 1) })

    results.oneLineEdit = {
      files: paths.length,
      projectBytes: total,
      initialPushes: pushes,
      fullDocBytes: full.body.length,
      edit,
      pushBytes: update.length,
      pullBytes: pulled.body.length,
      pushResponseBytes: pushed.body.length,
      wire: {
        push: { sent: pushed.wire.sent, received: pushed.wire.received },
        pull: { sent: pulled.wire.sent, received: pulled.wire.received },
      },
      pushMs: round(pushed.ms, 1),
      pullMs: round(pulled.ms, 1),
      sequentialEdits: {
        edits: more.length,
        pushMs: ms(more.map((m) => m.pushed.ms)),
        pullMs: ms(more.map((m) => m.pulled.ms)),
        lastPushBytes: more.at(-1).update.length,
        lastPullBytes: more.at(-1).pulled.body.length,
      },
    }
  }

  const serverRss = rssMiB(serverPid)
  await cleanup.run()

  // Server log: anything at level error is worth reading.
  const lines = serverLog.split('\n').filter(Boolean)
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l)
    } catch {
      return { level: 'raw', message: l }
    }
  })
  const errorLines = parsed.filter((l) => l.level !== 'info')
  const serverLogSummary = {
    file: path.relative(ROOT, logPath),
    lines: lines.length,
    nonInfoLines: errorLines.length,
    samples: errorLines.slice(0, 5).map((l) => ({ level: l.level, message: l.message, path: l.path, err: l.err?.message })),
  }

  for (const r of [results.syncPush, results.syncPushSpread]) r.ratioToBaseline = round(r.rps / results.baseline.rps, 4)
  const { baseline: ra, getProject: rb, syncPush: rc, syncPushSpread: rs, oneLineEdit: rd } = results
  const failures = (r) => r.errors + r.non2xx
  const targets = {
    getProjectP99: rb.p99 <= THRESHOLDS.getProjectP99Ms,
    getProjectRatio: rb.ratioToBaseline >= THRESHOLDS.getProjectMinRatio,
    syncPushP99: rc.p99 <= THRESHOLDS.syncPushP99Ms,
    oneLineEditBytes: rd.pushBytes <= THRESHOLDS.oneLineEditMaxBytes && rd.pullBytes <= THRESHOLDS.oneLineEditMaxBytes,
    zeroErrors:
      failures(ra) + failures(rb) + failures(rc) + failures(rs) === 0 &&
      rc.ackedUpdatesMissingOnServer + rs.ackedUpdatesMissingOnServer === 0,
  }
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memGiB: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()}`,
    },
    build,
    config: {
      durationS: DURATION,
      warmupS: WARMUP,
      loadGenerator: `autocannon ${autocannonVersion}`,
      database: 'postgres (fresh database, dropped afterwards)',
    },
    thresholds: THRESHOLDS,
    results,
    targets,
    pass: Object.values(targets).every(Boolean),
    // Phases during which other processes competed for the CPU: rerun on a quiet machine before trusting them.
    busyPhases: Object.entries(results).filter(([, r]) => r.machineBusyElsewhere).map(([name]) => name),
    server: { rssMiBAtEnd: serverRss, log: serverLogSummary },
    cpuBeforeStartPct: before,
  }

  const json1 = JSON.stringify(report, null, 2) + '\n'
  const out = path.join(RESULTS_DIR, `sync-${stamp}.json`)
  writeFileSync(out, json1)
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json1)
  printReport(report, out)
}

function printReport(report, out) {
  const { baseline: a, getProject: b, syncPush: c, syncPushSpread: c2, oneLineEdit: d } = report.results
  const rows = [
    ['phase', 'conns', 'requests', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'non2xx']
      .concat(['server', 'pg', 'bench', 'other', 'notes']),
    ['(a) baseline bare Hono', a, `server = the bare app's process`],
    ['(b) GET /api/projects/:id', b, `${b.ratioToBaseline}× baseline rps (rounds: ${b.roundRatios.join(', ')})`],
    ['(c) POST …/sync, 1 project', c, `mean update ${kb(c.meanUpdateBytes)} (${kb(c.minUpdateBytes)}–${kb(c.maxUpdateBytes)})${c.projectsUsed > 1 ? `; ${c.projectsUsed} projects one after another` : ''}`],
    ['(c′) POST …/sync, 20 projects', c2, `no target; mean update ${kb(c2.meanUpdateBytes)}`],
  ].map((r) =>
    typeof r[1] === 'object'
      ? [
          r[0], r[1].connections, r[1].requests, r[1].rps, r[1].p50, r[1].p90, r[1].p99, r[1].max, r[1].errors, r[1].non2xx,
          ...[r[1] === a ? r[1].cpu.baseline : r[1].cpu.server, r[1].cpu.postgres, r[1].cpu.bench, r[1].cpu.other].map((v) =>
            v === null || v === undefined ? '?' : `${v}%`,
          ),
          r[1].machineBusyElsewhere ? `BUSY MACHINE (other ${r[1].cpu.other}%); ${r[2]}` : r[2],
        ].map(String)
      : r,
  )
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
  process.stdout.write('\n' + line(rows[0]) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n')
  for (const r of rows.slice(1)) process.stdout.write(line(r) + '\n')
  process.stdout.write(
    `CPU columns: % of one core over the phase (${report.machine.cpus} cores = ${report.machine.cpus * 100}%); ` +
      'pg = all postgres processes, bench = this process incl. autocannon, other = everything else on the machine ' +
      `(${report.cpuBeforeStartPct.other ?? '?'}% just before the start).\n`,
  )
  process.stdout.write(
    `\n(d) one-line edit, ${d.files} files / ${kb(d.projectBytes)} (full doc ${kb(d.fullDocBytes)}):\n` +
      `    push body ${d.pushBytes} B (on the wire with HTTP headers: ${d.wire.push.sent} B up, ${d.wire.push.received} B back)\n` +
      `    pull body ${d.pullBytes} B (on the wire with HTTP headers: ${d.wire.pull.sent} B up, ${d.wire.pull.received} B back)\n` +
      `    ${d.sequentialEdits.edits} more edits one after another: push ${d.sequentialEdits.pushMs.p50} ms p50 ` +
      `(max ${d.sequentialEdits.pushMs.max}), pull ${d.sequentialEdits.pullMs.p50} ms p50 (max ${d.sequentialEdits.pullMs.max}); ` +
      `the last one's bodies: push ${d.sequentialEdits.lastPushBytes} B, pull ${d.sequentialEdits.lastPullBytes} B\n`,
  )
  const t = report.thresholds
  const checks = [
    ['getProjectP99', `(b) p99 ≤ ${t.getProjectP99Ms} ms`, `${b.p99} ms`],
    ['getProjectRatio', `(b) rps ≥ ${t.getProjectMinRatio}× baseline`, `${b.ratioToBaseline}×`],
    ['syncPushP99', `(c) p99 ≤ ${t.syncPushP99Ms} ms`, `${c.p99} ms`],
    ['oneLineEditBytes', `(d) push and pull bodies ≤ ${t.oneLineEditMaxBytes} B`, `${d.pushBytes} B / ${d.pullBytes} B`],
    [
      'zeroErrors',
      '0 errors, 0 non-2xx, no acknowledged update lost',
      [a, b, c, c2].map((r) => r.errors + r.non2xx).join(' / ') +
        `, lost ${c.ackedUpdatesMissingOnServer + c2.ackedUpdatesMissingOnServer}`,
    ],
  ]
  process.stdout.write('\nTargets:\n')
  for (const [key, label, value] of checks) {
    process.stdout.write(`  ${report.targets[key] ? 'ok    ' : 'MISSED'}  ${label.padEnd(48)} ${value}\n`)
  }
  for (const r of [c, c2]) {
    if (r.sampleErrors.length) process.stdout.write(`\nSync errors (first ${r.sampleErrors.length}): ${JSON.stringify(r.sampleErrors)}\n`)
  }
  const log = report.server.log
  process.stdout.write(`\nServer log: ${log.lines} lines, ${log.nonInfoLines} not at level info (${log.file})\n`)
  for (const s of log.samples) process.stdout.write(`  ${JSON.stringify(s)}\n`)
  if (report.build.staleSources) {
    process.stdout.write('Note: server/dist was older than its sources (--no-build): these numbers are for the old build.\n')
  }
  if (report.busyPhases.length) {
    const phases = report.busyPhases.join(', ')
    process.stdout.write(`\nWarning: other processes used > ${BUSY_OTHER_PCT}% of a core during: ${phases}. Rerun on a quiet machine.\n`)
  }
  const missed = Object.keys(report.targets).filter((k) => !report.targets[k])
  process.stdout.write(`\n${missed.length ? `MISSED: ${missed.join(', ')}` : 'All targets met.'}\n`)
  process.stdout.write(`Wrote ${path.relative(ROOT, out)} and bench/results/latest.json\n`)
}

main()
  .catch(async (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : err}\n`)
    await cleanup.run()
    process.exit(1)
  })
  .then(() => cleanup.run())
