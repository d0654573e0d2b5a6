// `pnpm bench:editor`: first paint and time-to-editor of a fresh visit, production build, headless Chromium.
//
// Starts the production server (`node server/dist/main.js`, rebuilt when sources changed; free port, PGlite in a
// fresh temporary folder), then for each run
// opens a NEW browser context (empty HTTP cache, storage and code cache: a first visit) and:
//   1. goto `/?runtime=webcontainer`; reads first-paint / first-contentful-paint from performance.getEntriesByType('paint')
//   2. waits for the "Node.js script" template card to be enabled and clicks it (the time of the click is taken in the
//      page with performance.now() by a capture-phase listener)
//   3. waits until the Monaco editor is editable: `[data-testid="editor.monaco"] .view-lines` visible with text in it;
//      checked in the page every animation frame, and the moment is performance.now() (ms since navigation start of `/`;
//      the project opens by client-side navigation, so the same time origin)
//   4. (issue 20) waits until the editor accepts input: its lines shown, its input element (textarea or EditContext)
//      there and focused, so a typed key lands in the file (a new project opens with no stored first view, so the
//      light view of bench:offline has nothing to draw here)
// Series: FP, FCP, time-to-editor (navigation start -> editable), click-to-editor (template click -> editable),
// accepts input, plus template-clickable (navigation start -> template card enabled). Reports p50/p95 (nearest rank)
// of the measured runs. Then --throttled-runs more visits with the CPU throttled 4× (CDP
// `Emulation.setCPUThrottlingRate` before navigation, as a mid-range phone): the same series, reported apart.
// The runtime (WebContainer) cannot boot here; irrelevant, the editor is editable before the runtime is up.
//
// Options:
//   --runs <n>       measured runs (default 10)
//   --warmup <n>     discarded runs first, to warm the server process and OS file cache (default 1)
//   --timeout <s>    per-run timeout (default 90)
//   --throttled-runs <n>  visits with the CPU throttled 4× (default 3; 0 for none)
//   --headed         show the browser
// The quickest run: --runs 1 --warmup 0.
// Writes bench/results/time-to-editor-latest.json. Exit 0 when all runs completed, 1 otherwise. No budgets enforced.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createCleanup, ensureBuild, launchChromium, RESULTS_DIR, startServer, stats } from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '90' },
    headed: { type: 'boolean', default: false },
    'throttled-runs': { type: 'string', default: '3' },
  },
})
const THROTTLED_RUNS = Number(opts['throttled-runs'])
const CPU_THROTTLE = 4
const RUNS = Number(opts.runs)
const WARMUP = Number(opts.warmup)
const TIMEOUT_MS = Number(opts.timeout) * 1000
const pwVersion = createRequire(import.meta.url)('playwright-core/package.json').version

const TEMPLATE = '[data-testid="dashboard.template"][data-template="node-script"]'
const EDITOR_LINES = '[data-testid="editor.monaco"] .view-lines'

const cleanup = createCleanup((message) => console.error(`time-to-editor: ${message}`))
let base
let browser

async function visit(index, { throttle = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.setDefaultTimeout(TIMEOUT_MS * throttle)
  if (throttle !== 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle })
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
    // null when the editor never takes focus (a typed key would then go nowhere)
    const acceptsInput = await page
      .waitForFunction(
        () => {
          const input = document.querySelector('[data-testid="editor.monaco"] textarea, [data-testid="editor.monaco"] .native-edit-context')
          return !!input && document.activeElement === input && performance.now()
        },
        null,
        { polling: 'raf', timeout: 10_000 * throttle },
      )
      .then((h) => h.jsonValue())
      .catch(() => null)
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
      acceptsInput: acceptsInput == null ? null : Math.max(acceptsInput, editable),
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
const throttled = []
let exitCode = 0
try {
  await ensureBuild({ web: true })
  base = (await startServer({ cleanup, publicHost: 'localhost' })).origin
  browser = await launchChromium({ cleanup, headed: opts.headed })
  const f = (x) => (x == null ? '   -   ' : `${x.toFixed(0).padStart(5)} ms`)
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const r = await visit(i)
    const warm = i < WARMUP
    ;(warm ? warmups : runs).push(r)
    const label = warm ? `warm-up ${i + 1}` : `run ${String(i - WARMUP + 1).padStart(2)}`
    if (r.error) console.log(`${label.padEnd(10)} ERROR ${r.error}`)
    else
      console.log(
        `${label.padEnd(10)} FP ${f(r.fp)}  FCP ${f(r.fcp)}  clickable ${f(r.templateClickable)}  editor ${f(r.timeToEditor)}  accepts input ${f(r.acceptsInput)}  click->editor ${f(r.clickToEditor)}`,
      )
  }
  for (let i = 0; i < THROTTLED_RUNS; i++) {
    const r = await visit(i, { throttle: CPU_THROTTLE })
    throttled.push(r)
    const label = `CPU ${CPU_THROTTLE}× ${i + 1}`
    if (r.error) console.log(`${label.padEnd(10)} ERROR ${r.error}`)
    else console.log(`${label.padEnd(10)} FP ${f(r.fp)}  FCP ${f(r.fcp)}  clickable ${f(r.templateClickable)}  editor ${f(r.timeToEditor)}  accepts input ${f(r.acceptsInput)}  click->editor ${f(r.clickToEditor)}`)
  }
} catch (err) {
  console.error(`time-to-editor: ${err.stack ?? err}`)
  exitCode = 1
} finally {
  await cleanup.run()
}

const ok = runs.filter((r) => !r.error)
const tOk = throttled.filter((r) => !r.error)
if (ok.length !== RUNS || tOk.length !== THROTTLED_RUNS) exitCode = 1
const seriesOf = (xs) => ({
  firstPaint: stats(xs.map((r) => r.fp)),
  firstContentfulPaint: stats(xs.map((r) => r.fcp)),
  templateClickable: stats(xs.map((r) => r.templateClickable)),
  timeToEditor: stats(xs.map((r) => r.timeToEditor)),
  acceptsInput: stats(xs.map((r) => r.acceptsInput)),
  clickToEditor: stats(xs.map((r) => r.clickToEditor)),
  wallGotoToEditor: stats(xs.map((r) => r.wallGotoToEditor)),
})
const series = seriesOf(ok)
const throttledSeries = { cpuThrottling: CPU_THROTTLE, runs: THROTTLED_RUNS, completed: tOk.length, ...seriesOf(tOk) }
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
  throttled: throttledSeries,
  samples: runs,
  throttledSamples: throttled,
  warmups,
}
mkdirSync(RESULTS_DIR, { recursive: true })
writeFileSync(path.join(RESULTS_DIR, 'time-to-editor-latest.json'), JSON.stringify(result, null, 2) + '\n')

const fmt = (x) => (x == null ? '-' : `${Math.round(x)} ms`)
console.log(`\n${ok.length}/${RUNS} runs completed (load average ${result.machine.loadavg.join(' ')}, ${result.machine.cpus} CPUs)`)
console.log(`  ${'series'.padEnd(34)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}`)
const LABELS = [
  ['firstPaint', 'first paint'],
  ['firstContentfulPaint', 'first contentful paint'],
  ['templateClickable', 'template card clickable'],
  ['timeToEditor', 'time-to-editor (nav start)'],
  ['acceptsInput', 'editor accepts input (nav start)'],
  ['clickToEditor', 'editor after template click'],
  ['wallGotoToEditor', 'wall clock goto -> editor'],
]
for (const [name, label] of LABELS) {
  const s = series[name]
  console.log(`  ${label.padEnd(34)} ${fmt(s.p50).padStart(9)} ${fmt(s.p95).padStart(9)} ${fmt(s.min).padStart(9)} ${fmt(s.max).padStart(9)}`)
}
if (THROTTLED_RUNS) {
  console.log(`CPU throttled ${CPU_THROTTLE}×: ${tOk.length}/${THROTTLED_RUNS} runs`)
  for (const [name, label] of LABELS) {
    const s = throttledSeries[name]
    console.log(`  ${label.padEnd(34)} ${fmt(s.p50).padStart(9)} ${fmt(s.p95).padStart(9)} ${fmt(s.min).padStart(9)} ${fmt(s.max).padStart(9)}`)
  }
}
console.log('wrote bench/results/time-to-editor-latest.json')
process.exit(exitCode)
