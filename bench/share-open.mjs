// `pnpm bench:share` (its browser half, after bench/share.mjs): opening a share link vs opening the same project in the workbench (issue 17).
//
// Starts the production server (rebuilt when sources changed; free port, PGlite in a fresh temporary folder) and the
// local runtime agent (its built `slipway-runtime` command), signs up through the
// API, and makes two account projects: the node-server template, and a 1,000-file / ~10 MB project (a server plus
// 999 generated modules, pushed as one Yjs update). Each is published as a share link. Then, per run and per
// project, in a NEW browser context each time (empty cache and storage, a first visit), on the local runtime:
//   - viewer:    goto /s/<id>   (no account)        → the preview iframe's `load`
//   - workbench: goto /p/<id>   (the owner, signed in) → the preview iframe's `load`
// measured in the page as performance.now() (ms since navigation start) by a capture-phase `load` listener (on the document)
// for the preview frame. The two are interleaved (viewer, workbench, viewer, …) so load on this shared machine hits both.
// The server listens on port 0 (the generated server.js), so runs never fight over a port.
//
// Options: --runs <n> (default 5), --warmup <n> (default 1), --timeout <s> (default 180), --only <small|large>.
// The quickest run: --runs 1 --warmup 0 --only small.
// Writes bench/results/share-open-latest.json. Target (issue 17): viewer p50 ≤ 1.2 × workbench p50 for each project.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { FILES_MAP, SHARE_API, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import { request as playwrightRequest } from 'playwright-core'
import * as Y from 'yjs'
import { createCleanup, ensureBuild, launchChromium, quantile, RESULTS_DIR, startRuntimeAgent, startServer } from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '180' },
    only: { type: 'string' },
  },
})
const RUNS = Number(opts.runs)
const WARMUP = Number(opts.warmup)
const TIMEOUT_MS = Number(opts.timeout) * 1000

const cleanup = createCleanup((message) => console.error(`share-open: ${message}`))

const SERVER_JS = (title) =>
  `import http from 'node:http'\n\nhttp.createServer((req, res) => {\n  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })\n  res.end('<!doctype html><title>${title}</title><h1>${title}</h1>')\n}).listen(0)\n`
const PACKAGE_JSON = JSON.stringify({ name: 'bench', private: true, type: 'module', scripts: { dev: 'node server.js' } }, null, 2) + '\n'

/// Yjs updates holding `files` (path → text) in the project-doc layout, in batches under the sync body limit.
function docUpdates(files) {
  const doc = new Y.Doc()
  const map = doc.getMap(FILES_MAP)
  const updates = []
  doc.on('update', (u) => updates.push(u))
  const entries = Object.entries(files)
  for (let i = 0; i < entries.length; i += 200) {
    doc.transact(() => {
      for (const [p, text] of entries.slice(i, i + 200)) map.set(p, new Y.Text(text))
    })
  }
  return updates
}

function largeFiles() {
  const files = { 'package.json': PACKAGE_JSON, 'server.js': SERVER_JS('Large project') }
  // 999 modules of ~10 KB of varied text: ~10 MB.
  for (let i = 0; i < 999; i++) {
    const lines = []
    for (let j = 0; lines.join('\n').length < 10_000; j++) lines.push(`export const value_${i}_${j} = ${JSON.stringify(`module ${i} line ${j} ${(i * 7919 + j * 104729).toString(36)}`)}`)
    files[`src/mod${String(Math.floor(i / 100))}/m${i}.js`] = lines.join('\n') + '\n'
  }
  return files
}

async function main() {
  await ensureBuild({ web: true })
  const { origin: base } = await startServer({ cleanup, publicHost: 'localhost' })
  const agentDir = mkdtempSync(path.join(os.tmpdir(), 'slipway-share-agent-'))
  cleanup.add(() => rmSync(agentDir, { recursive: true, force: true }))
  const agent = await startRuntimeAgent({ cleanup, dataDir: agentDir, origin: base })
  const runtimeQuery = `?runtime=local&url=${encodeURIComponent(agent.url)}`

  const api = await playwrightRequest.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } })
  cleanup.add(() => api.dispose())
  const must = async (res) => {
    if (!res.ok()) throw new Error(`${res.url()} → ${res.status()} ${await res.text()}`)
    return res.json()
  }
  await must(await api.post('/api/auth/signup', { data: { email: `bench-${Date.now()}@example.com`, password: 'a long enough password' } }))
  const owner = await api.storageState()

  const projects = []
  const wanted = [
    ['small', 'node-server template', () => ({ 'package.json': PACKAGE_JSON, 'server.js': SERVER_JS('Small project'), 'README.md': '# Small\n' })],
    ['large', '1,000 files / ~10 MB', largeFiles],
  ].filter(([id]) => !opts.only || opts.only === id)
  for (const [id, label, files] of wanted) {
    const { project } = await must(await api.post('/api/projects', { data: { name: `bench ${id}` } }))
    const updates = docUpdates(files())
    for (const update of updates) {
      const pushed = await api.post(`/api/projects/${project.id}/sync`, { data: Buffer.from(update), headers: { 'content-type': YJS_UPDATE_CONTENT_TYPE } })
      if (!pushed.ok()) throw new Error(`push ${id}: ${pushed.status()} ${await pushed.text()}`)
    }
    const update = { length: updates.reduce((n, u) => n + u.length, 0) }
    const shared = await must(await api.post(SHARE_API.projectShares(project.id), { data: { stateVector: 'AA' } }))
    projects.push({ id, label, projectId: project.id, linkId: shared.link.id, updateBytes: update.length, files: shared.version.fileCount, bytes: shared.version.bytes })
    console.log(`${id}: ${shared.version.fileCount} files, ${shared.version.bytes} bytes, link ${shared.link.id}`)
  }

  const browser = await launchChromium({ cleanup })
  async function open(url, storageState) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...(storageState ? { storageState } : {}) })
    const page = await context.newPage()
    page.setDefaultTimeout(TIMEOUT_MS)
    // On the document: a `load` event's path stops there, it never reaches the window.
    await page.addInitScript(() => {
      document.addEventListener(
        'load',
        (e) => {
          if (e.target instanceof HTMLIFrameElement && e.target.dataset.testid === 'preview.frame' && window.__previewLoad === undefined) window.__previewLoad = performance.now()
        },
        true,
      )
    })
    try {
      await page.goto(`${base}${url}${runtimeQuery}`, { waitUntil: 'commit' })
      return await (await page.waitForFunction(() => window.__previewLoad ?? false, undefined, { timeout: TIMEOUT_MS, polling: 100 })).jsonValue()
    } catch (err) {
      return { error: String(err.message ?? err).split('\n')[0] }
    } finally {
      await context.close()
    }
  }

  const results = []
  for (const p of projects) {
    const viewer = []
    const workbench = []
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const v = await open(`/s/${p.linkId}`)
      const w = await open(`/p/${p.projectId}`, owner)
      if (i < WARMUP) continue
      viewer.push(v)
      workbench.push(w)
      console.log(`${p.id} run ${i - WARMUP + 1}: viewer ${JSON.stringify(v)} ms, workbench ${JSON.stringify(w)} ms`)
    }
    const v50 = quantile(viewer, 0.5)
    const w50 = quantile(workbench, 0.5)
    results.push({ ...p, viewer: { runs: viewer, p50: v50, p95: quantile(viewer, 0.95) }, workbench: { runs: workbench, p50: w50, p95: quantile(workbench, 0.95) }, ratio: v50 && w50 ? v50 / w50 : null, target: 1.2 })
  }
  mkdirSync(RESULTS_DIR, { recursive: true })
  const out = { date: new Date().toISOString(), cpus: os.cpus().length, load: os.loadavg(), runs: RUNS, results }
  writeFileSync(path.join(RESULTS_DIR, 'share-open-latest.json'), JSON.stringify(out, null, 2))
  for (const r of results) console.log(`${r.label}: viewer p50 ${r.viewer.p50?.toFixed(0)} ms, workbench p50 ${r.workbench.p50?.toFixed(0)} ms, ratio ${r.ratio?.toFixed(2)} (target ≤ ${r.target})`)
  return results.every((r) => r.ratio !== null)
}

let ok = false
try {
  ok = await main()
} catch (err) {
  console.error(err)
} finally {
  await cleanup.run()
}
process.exit(ok ? 0 : 1)
