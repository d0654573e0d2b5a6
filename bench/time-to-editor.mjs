// `node bench/time-to-editor.mjs`: first paint and time-to-editor of a fresh visit, production build, headless Chromium.
//
// Starts the production server (`node server/dist/main.js`, free port, fresh temp SLIPWAY_DATA_DIR), then for each run
// opens a NEW browser context (empty HTTP cache, storage and code cache: a first visit) and:
//   1. goto `/?runtime=webcontainer`; reads first-paint / first-contentful-paint from performance.getEntriesByType('paint')
//   2. waits for the "Node.js script" template card to be enabled and clicks it (the time of the click is taken in the
//      page with performance.now() by a capture-phase listener)
//   3. waits until the Monaco editor is editable: `[data-testid="editor.monaco"] .view-lines` visible with text in it;
//      checked in the page every animation frame, and the moment is performance.now() (ms since navigation start of `/`;
//      the project opens by client-side navigation, so the same time origin)
// Series: FP, FCP, time-to-editor (navigation start -> editable), click-to-editor (template click -> editable), plus
// template-clickable (navigation start -> template card enabled). Reports p50/p95 (nearest rank) of the measured runs.
// The runtime (WebContainer) cannot boot here; irrelevant, the editor is editable before the runtime is up.
//
// Options:
//   --runs <n>       measured runs (default 10)
//   --warmup <n>     discarded runs first, to warm the server process and OS file cache (default 1)
//   --timeout <s>    per-run timeout (default 90)
//   --headed         show the browser
// Writes bench/results/time-to-editor-latest.json. Exit 0 when all runs completed, 1 otherwise. No budgets enforced.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CHROMIUM_ARGS, freePort, quantile } from './lib.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '90' },
    headed: { type: 'boolean', default: false },
  },
})
const RUNS = Number(opts.runs)
const WARMUP = Number(opts.warmup)
const TIMEOUT_MS = Number(opts.timeout) * 1000

// Playwright comes from the e2e package (same version the e2e suite runs).
const require = createRequire(path.join(root, 'e2e/node_modules/'))
const { chromium } = require('@playwright/test')
const pwVersion = require('@playwright/test/package.json').version

const TEMPLATE = '[data-testid="dashboard.template"][data-template="node-script"]'
const EDITOR_LINES = '[data-testid="editor.monaco"] .view-lines'


const stats = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x))
  return {
    n: v.length,
    p50: quantile(v, 0.5),
    p95: quantile(v, 0.95),
    min: v.length ? Math.min(...v) : null,
    max: v.length ? Math.max(...v) : null,
  }
}

if (!existsSync(path.join(root, 'server/dist/main.js')) || !existsSync(path.join(root, 'web/dist/index.html'))) {
  console.log('build missing: running node server/scripts/build-if-stale.mjs')
  const r = spawnSync(process.execPath, [path.join(root, 'server/scripts/build-if-stale.mjs')], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error('time-to-editor: build failed')
    process.exit(1)
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'slipway-tte-'))
const port = await freePort()
const base = `http://localhost:${port}`
let server
let browser
let serverLog = ''

async function cleanup() {
  try {
    await browser?.close()
  } catch {}
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    const t = setTimeout(() => server.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(t)
  }
  rmSync(dataDir, { recursive: true, force: true })
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    void cleanup().finally(() => process.exit(130))
  })
}

async function startServer() {
  server = spawn(process.execPath, [path.join(root, 'server/dist/main.js')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SLIPWAY_DATA_DIR: dataDir, PUBLIC_URL: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stderr.on('data', (d) => (serverLog += d))
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server not ready after 30 s\n${serverLog}`)), 30_000)
    server.stdout.on('data', (d) => {
      serverLog += d
      if (/ready on http/.test(serverLog)) {
        clearTimeout(t)
        resolve()
      }
    })
    server.once('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`server exited with ${code}\n${serverLog}`))
    })
  })
}

async function visit(index) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.setDefaultTimeout(TIMEOUT_MS)
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e.message ?? e)))
  // time of the click on the template card, taken in the page
  await page.addInitScript((sel) => {
    addEventListener(
      'click',
      (e) => {
        if (e.target instanceof Element && e.target.closest(sel) && window.__tteClick === undefined) window.__tteClick = performance.now()
      },
      true,
    )
  }, TEMPLATE)
  const wall0 = Date.now()
  try {
    await page.goto(`${base}/?runtime=webcontainer`, { waitUntil: 'commit' })
    const template = page.locator(TEMPLATE)
    await template.waitFor({ state: 'visible' })
    await page.waitForFunction((sel) => {
      const b = document.querySelector(sel)
      return b && !b.disabled
    }, TEMPLATE)
    const clickable = await page.evaluate(() => performance.now())
    await template.click()
    const editable = await (
      await page.waitForFunction(
        (sel) => {
          const el = document.querySelector(sel)
          if (!el) return false
          const r = el.getBoundingClientRect()
          const style = getComputedStyle(el)
          if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) return false
          if (!(el.textContent ?? '').trim()) return false
          return performance.now()
        },
        EDITOR_LINES,
        { polling: 'raf' },
      )
    ).jsonValue()
    const wallEditable = Date.now() - wall0
    const t = await page.evaluate(() => {
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]))
      const nav = performance.getEntriesByType('navigation')[0]
      return {
        fp: paint['first-paint'] ?? null,
        fcp: paint['first-contentful-paint'] ?? null,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
        load: nav?.loadEventEnd ?? null,
        click: window.__tteClick ?? null,
        url: location.pathname,
        // editable input present (textarea or EditContext element)
        input: !!document.querySelector('[data-testid="editor.monaco"] textarea, [data-testid="editor.monaco"] .native-edit-context'),
      }
    })
    return {
      run: index,
      fp: t.fp,
      fcp: t.fcp,
      domContentLoaded: t.domContentLoaded,
      load: t.load,
      templateClickable: clickable,
      click: t.click,
      timeToEditor: editable,
      clickToEditor: t.click == null ? null : editable - t.click,
      wallGotoToEditor: wallEditable,
      editorInputPresent: t.input,
      projectUrl: t.url,
      pageErrors: errors.slice(0, 5),
    }
  } catch (err) {
    return { run: index, error: String(err.message ?? err).split('\n')[0], pageErrors: errors.slice(0, 5) }
  } finally {
    await context.close()
  }
}

const runs = []
const warmups = []
let exitCode = 0
try {
  await startServer()
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: !opts.headed,
    args: CHROMIUM_ARGS,
  })
  const f = (x) => (x == null ? '   -   ' : `${x.toFixed(0).padStart(5)} ms`)
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const r = await visit(i)
    const warm = i < WARMUP
    ;(warm ? warmups : runs).push(r)
    const label = warm ? `warm-up ${i + 1}` : `run ${String(i - WARMUP + 1).padStart(2)}`
    if (r.error) console.log(`${label.padEnd(10)} ERROR ${r.error}`)
    else
      console.log(
        `${label.padEnd(10)} FP ${f(r.fp)}  FCP ${f(r.fcp)}  clickable ${f(r.templateClickable)}  editor ${f(r.timeToEditor)}  click->editor ${f(r.clickToEditor)}`,
      )
  }
} catch (err) {
  console.error(`time-to-editor: ${err.stack ?? err}`)
  exitCode = 1
} finally {
  await cleanup()
}

const ok = runs.filter((r) => !r.error)
if (ok.length !== RUNS) exitCode = 1
const series = {
  firstPaint: stats(ok.map((r) => r.fp)),
  firstContentfulPaint: stats(ok.map((r) => r.fcp)),
  templateClickable: stats(ok.map((r) => r.templateClickable)),
  timeToEditor: stats(ok.map((r) => r.timeToEditor)),
  clickToEditor: stats(ok.map((r) => r.clickToEditor)),
  wallGotoToEditor: stats(ok.map((r) => r.wallGotoToEditor)),
}
const result = {
  date: new Date().toISOString(),
  url: `${base}/?runtime=webcontainer`,
  browser: browser ? `chromium ${browser.version()} (playwright ${pwVersion}, ${opts.headed ? 'headed' : 'headless'})` : null,
  machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => +x.toFixed(2)) },
  runs: RUNS,
  completed: ok.length,
  warmup: WARMUP,
  note: 'ms since navigation start of / (performance.now); quantiles nearest-rank; new browser context per run (cold cache)',
  series,
  samples: runs,
  warmups,
}
mkdirSync(path.join(root, 'bench/results'), { recursive: true })
writeFileSync(path.join(root, 'bench/results/time-to-editor-latest.json'), JSON.stringify(result, null, 2) + '\n')

const fmt = (x) => (x == null ? '-' : `${Math.round(x)} ms`)
console.log(`\n${ok.length}/${RUNS} runs completed (load average ${result.machine.loadavg.join(' ')}, ${result.machine.cpus} CPUs)`)
console.log(`  ${'series'.padEnd(34)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}`)
for (const [name, label] of [
  ['firstPaint', 'first paint'],
  ['firstContentfulPaint', 'first contentful paint'],
  ['templateClickable', 'template card clickable'],
  ['timeToEditor', 'time-to-editor (nav start)'],
  ['clickToEditor', 'editor after template click'],
  ['wallGotoToEditor', 'wall clock goto -> editor'],
]) {
  const s = series[name]
  console.log(`  ${label.padEnd(34)} ${fmt(s.p50).padStart(9)} ${fmt(s.p95).padStart(9)} ${fmt(s.min).padStart(9)} ${fmt(s.max).padStart(9)}`)
}
console.log('wrote bench/results/time-to-editor-latest.json')
process.exit(exitCode)
