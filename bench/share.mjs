// `pnpm bench:share`: the server half of the share-link benchmark, on the production build and a real Postgres.
//
//   (a) baseline        bare Hono `GET /` (its own process), 50 connections
//   (b) manifest        `GET /api/s/:id` of a node-server template project, 50 connections, each request from its own
//                       client address (X-Forwarded-For from a trusted loopback proxy, 1,000 addresses), so per-client
//                       read limits apply as they would to many viewers. (a) and (b) take turns in rounds, as in
//                       bench/run.mjs, and the ratio is pooled over them.
//   (c) manifestLarge   the same for a 1,000-file / 10 MB project's manifest (~110 KB of JSON), for scale
//   (d) republish       a 1,000-file / 10 MB project published, edited by one line, synced and published again:
//                       bytes uploaded (the sync push and the publish request) and bytes stored by the republish
//                       (new blobs + the version's manifest + its link-blob rows).
//
// The browser half (link → preview first paint) is the viewer's (see issue 17). Writes
// bench/results/share-<timestamp>.json and bench/results/share-latest.json and prints a table. Exit 0 even when a
// target is missed; 1 when the bench could not run.
//
// Options: --duration <s> (per load phase, default 10), --warmup <s> (default 2), --no-build, --pg-url <url>,
// --cpu-prof <dir> (the server runs under `node --cpu-prof`; its .cpuprofile lands in <dir> when it stops),
// --server <main.js> (another build of the server, e.g. an older commit's, for an A/B on the same machine state).
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './lib.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(path.join(root, 'server/package.json'))
const autocannon = require('autocannon')
const Y = require('yjs')
const postgres = require('postgres')

const THRESHOLDS = { manifestP99Ms: 20, manifestMinRatio: 0.3, republishMaxBytes: 64 * 1024 }
const AB_ROUNDS = 5

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'no-build': { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres' },
    'cpu-prof': { type: 'string' },
    server: { type: 'string' },
  },
})
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
const resultsDir = path.join(root, 'bench/results')
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const teardown = []
const round = (x, d = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d)

function request(port, { method = 'GET', path: p, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), wire: { sent: req.socket.bytesWritten, received: req.socket.bytesRead } }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`)
  return res
}

function startProcess(name, script, env, ready, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let tail = ''
  child.stderr.on('data', (c) => (tail = (tail + c).slice(-4000)))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(t)
  }
  const started = new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${name} not ready within 60 s:\n${tail}`)), 60_000)
    child.stdout.on('data', (c) => {
      out += c
      if (ready.test(out)) (clearTimeout(timer), resolve())
    })
    exited.then(({ code, signal }) => (clearTimeout(timer), reject(new Error(`${name} exited (${signal ?? code}):\n${tail}`))))
  })
  return { child, stop, started }
}

async function ensureBuild() {
  const main = path.join(root, 'server/dist/main.js')
  const run = (script, cwd) => {
    const r = spawnSync(process.execPath, [script], { cwd, stdio: 'inherit' })
    if (r.status !== 0) throw new Error(`build failed (${script})`)
  }
  if (!existsSync(main) || !existsSync(path.join(root, 'web/dist/index.html'))) run(path.join(root, 'server/scripts/build-if-stale.mjs'), root)
  else if (!args['no-build']) {
    const { newestMtime } = await import(pathToFileURL(path.join(root, 'server/scripts/bootstrap.mjs')).href)
    if ((await newestMtime(['shared', 'server/src', 'server/scripts', 'server/package.json'])) > statSync(main).mtimeMs) {
      process.stdout.write('Rebuilding server/dist/main.js (server sources changed)…\n')
      run('scripts/build.mjs', path.join(root, 'server'))
    }
  }
  return main
}

function load(opts) {
  return new Promise((resolve, reject) => {
    const latencies = []
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => (err ? reject(err) : resolve({ result, latencies })))
    instance.on('response', (_c, _s, _b, ms) => latencies.push(ms))
  })
}

function summarize(slices) {
  const lat = slices.flatMap((s) => s.latencies).sort((a, b) => a - b)
  const q = (p) => lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] ?? null
  const total = slices.reduce((n, s) => n + s.result.requests.total, 0)
  const duration = slices.reduce((n, s) => n + s.result.duration, 0)
  const statusCodes = {}
  for (const s of slices) for (const [code, v] of Object.entries(s.result.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + v.count
  return {
    requests: total,
    rps: round(total / duration, 0),
    p50: round(q(0.5)),
    p99: round(q(0.99)),
    errors: slices.reduce((n, s) => n + s.result.errors + s.result.timeouts, 0),
    non2xx: slices.reduce((n, s) => n + s.result.non2xx, 0),
    statusCodes,
  }
}

/// autocannon options for GETs of `urlPath`, each request from one of 1,000 client addresses.
function viewers(port, urlPath) {
  let i = 0
  return {
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    requests: [
      {
        method: 'GET',
        path: urlPath,
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': `10.9.${(i >> 8) & 3}.${i++ & 255}` } }),
      },
    ],
  }
}

/// Deterministic code-like text of about `bytes` bytes.
function codeText(seed, bytes) {
  let s = seed >>> 0
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
  const words = ['const', 'value', 'return', 'export', 'function', 'items', 'map', 'filter', 'await', 'result', 'index', 'props']
  let out = ''
  while (out.length < bytes) out += `  ${words[Math.floor(rnd() * words.length)]} ${words[Math.floor(rnd() * words.length)]}_${Math.floor(rnd() * 1000)} = ${Math.floor(rnd() * 1e6)}\n`
  return out.slice(0, bytes)
}

async function main() {
  mkdirSync(resultsDir, { recursive: true })
  const serverMain = args.server ? path.resolve(args.server) : await ensureBuild()
  const dbName = `slipway_bench_${randomBytes(4).toString('hex')}`
  const admin = postgres(args['pg-url'], { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${dbName}`)
  teardown.push(async () => {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`)
    await admin.end({ timeout: 5 })
  })
  const dbUrl = new URL(args['pg-url'])
  dbUrl.pathname = `/${dbName}`
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const server = startProcess(
    'server',
    serverMain,
    { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl.toString(), PUBLIC_URL: origin, NODE_ENV: 'production', SLIPWAY_TRUSTED_PROXIES: '127.0.0.1' },
    /ready on http/,
    args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args['cpu-prof'])] : [],
  )
  teardown.push(server.stop)
  await server.started
  const basePort = await freePort()
  const baseline = startProcess('baseline', path.join(root, 'bench/baseline-server.mjs'), { PORT: String(basePort), HOST: '127.0.0.1' }, /ready/)
  teardown.push(baseline.stop)
  await baseline.started
  const db = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} })
  teardown.push(() => db.end({ timeout: 5 }))

  const json = (method, p, body, cookie) =>
    request(port, { method, path: p, headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) })
  const signup = await expectStatus(await json('POST', '/api/auth/signup', { email: `bench-${randomBytes(4).toString('hex')}@example.com`, password: randomBytes(12).toString('base64url') }), 201, 'signup')
  const cookie = [signup.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).find((c) => c.startsWith('slipway_session='))
  const userId = JSON.parse(signup.body).user.id

  /// A project and a doc that mirrors it (pulled whole), for edits and state vectors.
  async function project(name, template) {
    const id = JSON.parse((await expectStatus(await json('POST', '/api/projects', template ? { name, template } : { name }, cookie), 201, 'create')).body).project.id
    const doc = new Y.Doc()
    const pulled = await expectStatus(await request(port, { path: `/api/projects/${id}/sync`, headers: { cookie } }), 200, 'pull')
    Y.applyUpdate(doc, new Uint8Array(pulled.body))
    return { id, doc }
  }
  async function push(p, update) {
    const res = await request(port, { method: 'POST', path: `/api/projects/${p.id}/sync`, headers: { cookie, origin, 'content-type': 'application/vnd.slipway.yjs-update' }, body: Buffer.from(update) })
    return expectStatus(res, 200, 'sync push')
  }
  const publishBody = (p) => JSON.stringify({ stateVector: Buffer.from(Y.encodeStateVector(p.doc)).toString('base64url') })
  async function publish(p, linkId) {
    const res = await request(port, {
      method: 'POST',
      path: linkId ? `/api/projects/${p.id}/shares/${linkId}/versions` : `/api/projects/${p.id}/shares`,
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: publishBody(p),
    })
    await expectStatus(res, 201, 'publish')
    return { ...JSON.parse(res.body), wire: res.wire }
  }
  const shareStored = async () => {
    const [r] = await db`select
      (select coalesce(sum(octet_length(content)), 0) from share_blobs where owner_id = ${userId})::bigint as blobs,
      (select count(*) from share_blobs where owner_id = ${userId})::bigint as blob_count,
      (select coalesce(sum(octet_length(manifest)), 0) from share_versions)::bigint as manifests,
      (select count(*) from share_link_blobs)::bigint as link_blobs`
    return { blobs: Number(r.blobs), blobCount: Number(r.blob_count), manifests: Number(r.manifests), linkBlobs: Number(r.link_blobs) }
  }

  const results = {}

  // (d) first: the 1,000-file project.
  const big = await project('bench 1000 files')
  {
    const files = big.doc.getMap('files')
    for (let part = 0; part < 4; part++) {
      const before = Y.encodeStateVector(big.doc)
      big.doc.transact(() => {
        for (let i = part * 250; i < (part + 1) * 250; i++) files.set(`src/feature-${i % 20}/module-${i}.ts`, new Y.Text(codeText(i + 1, 10_000)))
      })
      await push(big, Y.encodeStateAsUpdate(big.doc, before))
    }
  }
  const first = await publish(big)
  const s1 = await shareStored()
  const beforeEdit = Y.encodeStateVector(big.doc)
  big.doc.getMap('files').get('src/feature-7/module-7.ts').insert(120, '  const edited = true\n')
  const editPush = await push(big, Y.encodeStateAsUpdate(big.doc, beforeEdit))
  const second = await publish(big, first.link.id)
  const s2 = await shareStored()
  const linkBlobRowBytes = 16 + 64 + 24 // uuid + sha256 text + tuple header, roughly
  results.republish = {
    files: second.version.fileCount,
    bytes: second.version.bytes,
    firstPublish: { storedBytes: s1.blobs + s1.manifests, blobs: s1.blobCount, manifestBytes: s1.manifests },
    uploadedBytes: { syncPush: editPush.wire.sent, publishRequest: second.wire.sent, total: editPush.wire.sent + second.wire.sent },
    storedBytes: {
      newBlobs: s2.blobCount - s1.blobCount,
      blobBytes: s2.blobs - s1.blobs,
      manifestBytes: s2.manifests - s1.manifests,
      linkBlobRows: s2.linkBlobs - s1.linkBlobs,
      total: s2.blobs - s1.blobs + s2.manifests - s1.manifests + (s2.linkBlobs - s1.linkBlobs) * linkBlobRowBytes,
    },
  }
  process.stdout.write(`(d) republish after a one-line edit: ${JSON.stringify(results.republish)}\n`)

  // (a)/(b) manifest of a node-server project against the baseline, interleaved.
  const small = await project('bench node-server', 'node-server')
  const smallLink = (await publish(small)).link.id
  const a = { url: `http://127.0.0.1:${basePort}/`, connections: 50 }
  const b = viewers(port, `/api/s/${smallLink}`)
  const c = viewers(port, `/api/s/${first.link.id}`)
  process.stdout.write(`(a) bare Hono GET / and (b) GET /api/s/:id (node-server), 50 connections, ${AB_ROUNDS} rounds of ${DURATION / AB_ROUNDS} s\n`)
  if (WARMUP > 0) {
    await load({ ...a, duration: WARMUP })
    await load({ ...b, duration: WARMUP })
    await sleep(500)
  }
  const slices = { a: [], b: [] }
  for (let r = 0; r < AB_ROUNDS; r++) {
    slices.a.push(await load({ ...a, duration: DURATION / AB_ROUNDS }))
    slices.b.push(await load({ ...b, duration: DURATION / AB_ROUNDS }))
  }
  results.baseline = summarize(slices.a)
  results.manifest = { ...summarize(slices.b), ratioToBaseline: round(summarize(slices.b).rps / results.baseline.rps, 3) }
  process.stdout.write(`(c) GET /api/s/:id of the 1,000-file project, 50 connections, ${DURATION} s\n`)
  if (WARMUP > 0) await load({ ...c, duration: WARMUP })
  results.manifestLarge = summarize([await load({ ...c, duration: DURATION })])
  const [views] = await db`select view_count from share_links where latest > 0 order by view_count desc limit 1`
  results.viewCountRecorded = Number(views?.view_count ?? 0)

  const t = THRESHOLDS
  const checks = {
    manifestP99: { target: `p99 ≤ ${t.manifestP99Ms} ms`, value: results.manifest.p99, ok: results.manifest.p99 <= t.manifestP99Ms },
    manifestRatio: { target: `≥ ${t.manifestMinRatio}× baseline rps`, value: results.manifest.ratioToBaseline, ok: results.manifest.ratioToBaseline >= t.manifestMinRatio },
    manifestErrors: { target: 'no errors, all 200', value: results.manifest.errors + results.manifest.non2xx, ok: results.manifest.errors + results.manifest.non2xx === 0 },
    republishUploaded: { target: `≤ ${t.republishMaxBytes} B`, value: results.republish.uploadedBytes.total, ok: results.republish.uploadedBytes.total <= t.republishMaxBytes },
    republishStored: { target: `≤ ${t.republishMaxBytes} B`, value: results.republish.storedBytes.total, ok: results.republish.storedBytes.total <= t.republishMaxBytes },
  }
  const report = { at: new Date().toISOString(), durationS: DURATION, thresholds: t, results, checks }
  writeFileSync(path.join(resultsDir, `share-${stamp}.json`), JSON.stringify(report, null, 2))
  writeFileSync(path.join(resultsDir, 'share-latest.json'), JSON.stringify(report, null, 2))
  const row = (name, r) => `${name.padEnd(34)} ${String(r.rps).padStart(7)} rps  p50 ${String(r.p50).padStart(6)} ms  p99 ${String(r.p99).padStart(6)} ms  non-2xx ${r.non2xx}`
  process.stdout.write(
    [
      '',
      row('(a) baseline bare Hono', results.baseline),
      row('(b) manifest, node-server', results.manifest) + `  ${results.manifest.ratioToBaseline}× baseline`,
      row('(c) manifest, 1,000 files', results.manifestLarge),
      `(d) republish: uploaded ${results.republish.uploadedBytes.total} B (push ${results.republish.uploadedBytes.syncPush} + publish ${results.republish.uploadedBytes.publishRequest}), stored ${results.republish.storedBytes.total} B (${results.republish.storedBytes.newBlobs} blob of ${results.republish.storedBytes.blobBytes} B, manifest ${results.republish.storedBytes.manifestBytes} B)`,
      '',
      ...Object.entries(checks).map(([k, v]) => `${v.ok ? 'PASS' : 'MISS'}  ${k.padEnd(18)} ${v.target.padEnd(22)} ${v.value}`),
      '',
    ].join('\n'),
  )
}

main()
  .catch((err) => {
    process.stderr.write(`bench:share failed: ${err instanceof Error ? err.stack : err}\n`)
    process.exitCode = 1
  })
  .finally(async () => {
    for (const fn of teardown.reverse()) await fn().catch(() => {})
  })
