// `npm test` / `pnpm test`: the whole suite on a fresh machine. Installs what is missing (dependencies; Debian's
// Chromium when running as root), then typecheck → import boundaries → unit + integration (PGlite and, when reachable, Postgres) →
// production build → Playwright in Chromium. Ends with one line of totals.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ensureBuilt, ensureInstalled, pnpm } from '../../server/scripts/bootstrap.mjs'

const started = Date.now()
const out = mkdtempSync(path.join(tmpdir(), 'slipway-test-'))
const steps = []
const totals = { passed: 0, failed: 0, skipped: 0 }

function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(chromium)) return
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root && spawnSync('apt-get', ['--version']).status === 0) {
    process.stdout.write('Installing Chromium (apt-get install -y chromium)…\n')
    spawnSync('apt-get', ['update'], { stdio: 'inherit' })
    if (spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' }).status === 0) return
  }
  process.stderr.write(`slipway: the browser tests need Chromium at ${chromium}: install Debian's "chromium" package or set CHROMIUM_PATH\n`)
  process.exit(1)
}

async function step(name, fn) {
  process.stdout.write(`\n━━ ${name}\n`)
  const t = Date.now()
  const ok = await fn()
  steps.push({ name, ok, seconds: ((Date.now() - t) / 1000).toFixed(1) })
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

await ensureInstalled()
ensureChromium()

await step('typecheck', async () => (await pnpm(['-r', '--no-bail', 'typecheck'])) === 0)
await step('import boundaries (dependency-cruiser)', async () => (await pnpm(['run', 'check:imports'])) === 0)

for (const pkg of ['shared', 'server', 'runtime-agent', 'web']) {
  await step(`unit + integration: ${pkg}`, async () => {
    const report = path.join(out, `vitest-${pkg}.json`)
    const code = await pnpm(['--filter', `@slipway/${pkg}`, 'exec', 'vitest', 'run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile=${report}`])
    const r = readJson(report)
    if (r) {
      totals.passed += r.numPassedTests
      totals.failed += r.numFailedTests
      totals.skipped += r.numPendingTests + r.numTodoTests
    } else totals.failed += 1
    return code === 0
  })
}

await step('build', async () => {
  await ensureBuilt()
  return true
})

await step('e2e (Playwright, Chromium)', async () => {
  const report = path.join(out, 'playwright.json')
  const code = await pnpm(['--filter', '@slipway/e2e', 'exec', 'playwright', 'test'], {
    env: { ...process.env, E2E_SKIP_BUILD: '1', PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  })
  const r = readJson(report)
  if (r) {
    totals.passed += r.stats.expected + r.stats.flaky
    totals.failed += r.stats.unexpected
    totals.skipped += r.stats.skipped
  } else totals.failed += 1
  return code === 0
})

process.stdout.write('\n━━ summary\n')
for (const s of steps) process.stdout.write(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name} (${s.seconds} s)\n`)
process.stdout.write(`total time ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
const failedSteps = steps.filter((s) => !s.ok).length
if (failedSteps && totals.failed === 0) totals.failed = failedSteps
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`)
process.exit(failedSteps ? 1 : 0)
