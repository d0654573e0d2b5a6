import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { closeRunFailureWhenShown, expect, test } from './fixtures.ts'
import { createDatabase, freePort, OwnServer } from './ownServer.ts'

// Update flow: serve v1, open two tabs, deploy v2. The prompt appears in both; old tabs keep working (their lazy
// chunks, which v2 no longer has, come from v1's precache) until the person reloads.
test.use({ serviceWorkers: 'allow' })

const root = fileURLToPath(new URL('../..', import.meta.url))

/// v2 = v1 with a version marker in index.html, the Monaco chunks renamed away (a new build's hashes), and its own
/// service worker generated the way the build does.
function makeVersions(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-versions-'))
  const v1 = path.join(dir, 'v1')
  const v2 = path.join(dir, 'v2')
  cpSync(source, v1, { recursive: true })
  cpSync(v1, v2, { recursive: true })
  const html = path.join(v2, 'index.html')
  writeFileSync(html, readFileSync(html, 'utf8').replace('<head>', '<head>\n    <meta name="slipway:test-version" content="v2" />'))
  const removed: string[] = []
  for (const name of readdirSync(path.join(v2, 'assets'))) {
    if (/^(editor\.api|MonacoPane)-/.test(name)) {
      rmSync(path.join(v2, 'assets', name))
      if (!/\.(br|gz)$/.test(name)) removed.push(`/assets/${name}`)
    }
  }
  for (const name of ['index.html.br', 'index.html.gz', 'sw.js', 'sw.js.br', 'sw.js.gz']) rmSync(path.join(v2, name), { force: true })
  execFileSync(process.execPath, [path.join(root, 'web/scripts/build-sw.mjs'), v2], { stdio: 'pipe' })
  return { dir, v1, v2, removed }
}

test('a new version waits for "Reload"; tabs on the old one keep loading its lazy chunks meanwhile', async ({ browser }) => {
  test.setTimeout(120_000)
  const versions = makeVersions(process.env.E2E_WEB_DIR ?? path.join(root, 'web/dist'))
  expect(versions.removed.length).toBeGreaterThan(0)
  const db = createDatabase('e2e_update')
  const server = new OwnServer(await freePort(), db.url, versions.v1)
  await server.start()
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } })
  try {
    const one = await context.newPage()
    await closeRunFailureWhenShown(one)
    await one.goto(server.url)
    await expect(one.getByTestId('app.offline-ready')).toBeVisible({ timeout: 30_000 })
    await one.reload()
    expect(await one.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)

    // Deploy v2.
    await server.stop()
    server.webDir = versions.v2
    await server.start()
    expect((await context.request.get(`${server.url}${versions.removed[0]}`)).status()).toBe(404)

    const two = await context.newPage()
    await two.goto(server.url)
    for (const tab of [one, two]) await expect(tab.getByTestId('app.update')).toContainText('A new version is ready', { timeout: 30_000 })
    await one.screenshot({ path: test.info().outputPath('update-prompt.png') })
    // Nothing switched on its own: both tabs still run v1.
    for (const tab of [one, two]) expect(await tab.locator('meta[name="slipway:test-version"]').count()).toBe(0)

    // The old tab opens the editor: its Monaco chunks exist only in v1's precache now.
    await one.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
    await one.locator('[data-testid="tree.item"][data-path="index.js"]').click()
    await expect(one.getByTestId('editor.monaco').locator('.view-lines')).toContainText("greet('Slipway')", { timeout: 30_000 })

    await one.getByTestId('app.update-reload').click()
    await expect(one.locator('meta[name="slipway:test-version"]')).toHaveAttribute('content', 'v2', { timeout: 30_000 })
    await expect(one.getByTestId('app.update')).toHaveCount(0)
    // v2's worker is active: v1's chunks that v2 no longer has are gone from the caches, none kept by the step that
    // stores the classic-script chunks again on activate (web/scripts/build-sw.mjs).
    const kept = await one.evaluate(async (removed) => {
      const found: string[] = []
      for (const name of await caches.keys()) {
        const cache = await caches.open(name)
        for (const file of removed) if (await cache.match(new URL(file, location.href).href)) found.push(file)
      }
      return found
    }, versions.removed)
    expect(kept).toEqual([])
    // The other old tab is now under v2's worker; it keeps offering the reload.
    await expect(two.getByTestId('app.update')).toBeVisible()
  } finally {
    await context.close()
    await server.stop()
    db.drop()
    rmSync(versions.dir, { recursive: true, force: true })
  }
})
