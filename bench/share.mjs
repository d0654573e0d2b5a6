// `pnpm bench:share`: the server half of the share-link benchmark, on the production build and a real Postgres.
//
//   (a) baseline        bare Hono `GET /` (its own process), 50 connections
//   (b) manifest        `GET /api/s/:id` of a node-server template project, 50 connections, each request from its own
//                       client address (X-Forwarded-For from a trusted loopback proxy, 1,000 addresses), so per-client
//                       read limits apply as they would to many viewers. (a) and (b) take turns in rounds, as in
//                       bench/sync/, and the ratio is pooled over them.
//   (c) manifestLarge   the same for a 1,000-file / 10 MB project's manifest (~110 KB of JSON), for scale
//   (d) republish       a 1,000-file / 10 MB project published, edited by one line, synced and published again:
//                       bytes uploaded (the sync push and the publish request) and bytes stored by the republish
//                       (new blobs + the version's manifest + its link-blob rows).
//
// The browser half (link → preview load) is bench/share-open.mjs; `pnpm bench:share` runs both. Writes
// bench/results/share-<timestamp>.json and bench/results/share-latest.json and prints a table. Exit 0 even when a
// target is missed; 1 when the bench could not run.
//
// Options: --duration <s> (per load phase, default 10), --warmup <s> (default 2), --no-build, --pg-url <url>,
// --cpu-prof <dir> (the server runs under `node --cpu-prof`; its .cpuprofile lands in <dir> when it stops),
// --server <main.js> (another build of the server, e.g. an older commit's, for an A/B on the same machine state).
// The quickest run: --duration 1 --warmup 0.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { FILES_MAP, SHARE_API, toBase64Url, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import autocannon from 'autocannon'
import postgres from 'postgres'
import * as Y from 'yjs'
import {
  createCleanup,
  createDatabase,
  ensureBuild,
  expectStatus,
  fileStamp,
  jsonRequest,
  quantile,
  request,
  RESULTS_DIR,
  round,
  signup,
  startBaselineServer,
  startServer,
} from './lib.mjs'

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
const stamp = fileStamp()
const cleanup = createCleanup()

function load(opts) {
  return new Promise((resolve, reject) => {
    const latencies = []
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => (err ? reject(err) : resolve({ result, latencies })))
    instance.on('response', (_c, _s, _b, ms) => latencies.push(ms))
  })
}

function summarize(slices) {
  const lat = slices.flatMap((s) => s.latencies)
  const q = (p) => quantile(lat, p)
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
  mkdirSync(RESULTS_DIR, { recursive: true })
  const serverMain = args.server ? path.resolve(args.server) : await ensureBuild({ rebuild: !args['no-build'] })
  const database = await createDatabase(args['pg-url'], { cleanup })
  const server = await startServer({
    cleanup,
    main: serverMain,
    env: { DATABASE_URL: database.url, SLIPWAY_TRUSTED_PROXIES: '127.0.0.1' },
    nodeArgs: args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args['cpu-prof'])] : [],
  })
  const { port, origin } = server
  const baseline = await startBaselineServer({ cleanup })
  const db = postgres(database.url, { max: 1, onnotice: () => {} })
  cleanup.add(() => db.end({ timeout: 5 }))

  const json = (method, p, body, cookie) => jsonRequest(port, origin, method, p, body, { cookie })
  const { cookie, user } = await signup(port, origin)
  const userId = user.id

  /// A project and a doc that mirrors it (pulled whole), for edits and state vectors.
  async function project(name, template) {
    const id = JSON.parse((await expectStatus(await json('POST', '/api/projects', template ? { name, template } : { name }, cookie), 201, 'create')).body).project.id
    const doc = new Y.Doc()
    const pulled = expectStatus(await request(port, { path: `/api/projects/${id}/sync`, headers: { cookie } }), 200, 'pull')
    Y.applyUpdate(doc, new Uint8Array(pulled.body))
    return { id, doc }
  }
  async function push(p, update) {
    const res = await request(port, { method: 'POST', path: `/api/projects/${p.id}/sync`, headers: { cookie, origin, 'content-type': YJS_UPDATE_CONTENT_TYPE }, body: Buffer.from(update) })
    return expectStatus(res, 200, 'sync push')
  }
  async function publish(p, linkId) {
    const res = await json('POST', linkId ? SHARE_API.linkVersions(p.id, linkId) : SHARE_API.projectShares(p.id), { stateVector: toBase64Url(Y.encodeStateVector(p.doc)) }, cookie)
    expectStatus(res, 201, 'publish')
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
    const files = big.doc.getMap(FILES_MAP)
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
  big.doc.getMap(FILES_MAP).get('src/feature-7/module-7.ts').insert(120, '  const edited = true\n')
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
  const a = { url: baseline.url, connections: 50 }
  const b = viewers(port, SHARE_API.manifest(smallLink))
  const c = viewers(port, SHARE_API.manifest(first.link.id))
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
  writeFileSync(path.join(RESULTS_DIR, `share-${stamp}.json`), JSON.stringify(report, null, 2))
  writeFileSync(path.join(RESULTS_DIR, 'share-latest.json'), JSON.stringify(report, null, 2))
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
  .finally(() => cleanup.run())
