import type { BrowserContext, Page } from '@playwright/test'
import { closeRunFailureWhenShown, expect, replaceInEditor, test } from './fixtures.ts'
import { createDatabase, freePort, OwnServer } from './ownServer.ts'

// Offline-first journeys, each against its own production server on a real Postgres database, with the service
// worker on (the rest of the suite blocks it).
test.use({ serviceWorkers: 'allow' })
// The journeys with two devices or several page loads take up to ~35 s on this machine, more under load: two minutes.
test.describe.configure({ mode: 'serial', timeout: 120_000 })

let server: OwnServer
let db: ReturnType<typeof createDatabase>
test.beforeAll(async () => {
  db = createDatabase('e2e_offline')
  server = new OwnServer(await freePort(), db.url, process.env.E2E_WEB_DIR)
  await server.start()
})
test.afterAll(async () => {
  await server.stop()
  db.drop()
})

const PASSWORD = 'a long enough password'

async function signUp(page: Page, email = `offline-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`) {
  await page.goto(`${server.url}/signup`)
  await page.getByTestId('auth.email').fill(email)
  await page.getByTestId('auth.password').fill(PASSWORD)
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('app.account')).toContainText(email)
  return email
}

async function signIn(page: Page, email: string) {
  await page.goto(`${server.url}/signin`)
  await page.getByTestId('auth.email').fill(email)
  await page.getByTestId('auth.password').fill(PASSWORD)
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('app.account')).toContainText(email)
}

/// A new account project from the Node script template; answers its id.
async function newServerProject(page: Page): Promise<string> {
  await page.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}/)
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
  return /\/p\/([0-9a-f-]{36})/.exec(page.url())![1]!
}

/// Resolves once the service worker is active, i.e. the precache is complete.
async function offlineReady(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
}

async function serverFile(context: BrowserContext, id: string, path: string): Promise<string> {
  const res = await context.request.get(`${server.url}/api/projects/${id}/files/${path}`)
  expect(res.status()).toBe(200)
  return res.text()
}

const editorLines = (page: Page) => page.getByTestId('editor.monaco').locator('.view-lines')
/// The open editor's non-empty lines (small files: every line is rendered; innerText drops empty ones).
const editorText = async (page: Page) => nonEmptyLines((await editorLines(page).innerText()).replace(/\u00a0/g, ' '))
const nonEmptyLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').join('\n')

test('offline reload: the project opens from this device, edits and new files work, and reach the server once online', async ({ page, context }) => {
  await signUp(page)
  const id = await newServerProject(page)
  await offlineReady(page)

  await context.setOffline(true)
  await page.reload()
  // The first load the new service worker serves: no code cache yet, and a loaded CI machine (5 s failed twice there).
  await expect(page.getByTestId('workbench')).toBeVisible({ timeout: 15_000 })
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  // Offline, WebContainer does not even try to boot (its runtime comes from StackBlitz), and says why at once, in
  // the preview pane (the stepper's details popover opens only on request).
  await expect(page.locator('[data-testid="preview.empty"][data-state="failed"]')).toContainText('You are offline', { timeout: 15_000 })
  await closeRunFailureWhenShown(page)
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(editorLines(page)).toContainText("greet('Slipway')")
  await replaceInEditor(page, "greet('Slipway')", "greet('Offline')")
  await page.getByTestId('tree.new-file').click()
  await page.getByTestId('tree.input').fill('offline.md')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="tree.item"][data-path="offline.md"]')).toBeVisible()
  await editorLines(page).click()
  await page.keyboard.type('written offline')
  await expect(page.getByTestId('sync.status')).toHaveText(/Offline — \d+ changes? waiting/, { timeout: 15_000 })
  await page.screenshot({ path: test.info().outputPath('offline-editing.png') })

  await context.setOffline(false)
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 })
  expect(await serverFile(context, id, 'index.js')).toContain("greet('Offline')")
  expect(await serverFile(context, id, 'offline.md')).toBe('written offline')
})

// Monaco's big chunks ship as classic scripts so Chromium reuses their compiled code (web/scripts/classicChunks.ts).
// A script the service worker stores while it installs gets an eager, full code cache, which cost ~1 s of main thread
// per project open; the installed worker stores those chunks again (web/scripts/build-sw.mjs), so none is taken.
test('served by the service worker, the classic-script chunks carry no install-time full code cache', async ({ page, browser }) => {
  await page.goto(server.url)
  await page.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(editorLines(page)).toBeVisible({ timeout: 30_000 })
  await offlineReady(page)
  await browser.startTracing(page, { categories: ['v8'] })
  await page.reload()
  await expect(editorLines(page)).toBeVisible({ timeout: 30_000 })
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: { name: string; args?: { data?: { url?: string; cacheKind?: string } } }[] }
  const classic = trace.traceEvents
    .filter((e) => e.name === 'v8.compile' && /\.classic\.js$/.test(e.args?.data?.url ?? ''))
    .map((e) => ({ file: e.args!.data!.url!.replace(/^.*\//, ''), cache: e.args!.data!.cacheKind ?? 'none' }))
  // This load came from the service worker (it controls the page), and React, Monaco and the editor pane ran as classic
  // scripts.
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
  expect(classic.map((c) => c.file.replace(/-[\w-]+\.classic\.js$/, '')).sort()).toEqual(expect.arrayContaining(['MonacoPane', 'editor.api', 'react']))
  expect(classic.filter((c) => c.cache === 'full')).toEqual([])
})

test('two devices edit the same file offline, different lines and the same line: both converge, nothing lost', async ({ browser }) => {
  const one = await browser.newContext({ serviceWorkers: 'allow' })
  const two = await browser.newContext({ serviceWorkers: 'allow' })
  const a = await one.newPage()
  const b = await two.newPage()
  for (const p of [a, b]) await closeRunFailureWhenShown(p)
  const email = await signUp(a)
  const id = await newServerProject(a)
  await signIn(b, email)
  await b.goto(`${server.url}/p/${id}`)
  await expect(b.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
  for (const p of [a, b]) await p.locator('[data-testid="tree.item"][data-path="index.js"]').click()

  await one.setOffline(true)
  await two.setOffline(true)
  // Different lines (3 and 4 of index.js).
  await replaceInEditor(a, "'Slipway'", "'Slipway A'")
  await replaceInEditor(b, 'process.platform', 'process.arch')
  // The same line (1).
  await replaceInEditor(a, 'import { greet }', 'import { greet, A }')
  await replaceInEditor(b, 'import { greet }', 'import { greet, B }')
  await a.screenshot({ path: test.info().outputPath('device-a-offline.png') })
  for (const p of [a, b]) await expect(p.getByTestId('sync.status')).toHaveText(/Offline — \d+ changes? waiting/, { timeout: 15_000 })

  await one.setOffline(false)
  await two.setOffline(false)
  const serverText = () => serverFile(one, id, 'index.js')
  // Same line: both insertions kept, merged (not one replacing the other).
  await expect.poll(serverText, { timeout: 30_000 }).toMatch(/import \{ greet, (A, B|B, A) \}/)
  await expect.poll(serverText, { timeout: 30_000 }).toMatch(/process\.arch/)
  const text = await serverText()
  expect(text).toContain("greet('Slipway A')")
  // Both editors show exactly the server's text.
  for (const p of [a, b]) {
    await expect.poll(() => editorText(p), { timeout: 20_000 }).toBe(nonEmptyLines(text))
    await expect(p.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 })
  }
  await one.close()
  await two.close()
})

test('server down while editing: the status shows waiting changes; after a restart everything syncs', async ({ page, context }) => {
  await closeRunFailureWhenShown(page)
  await signUp(page)
  const id = await newServerProject(page)
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await server.stop()
  await replaceInEditor(page, "greet('Slipway')", "greet('while the server was down')")
  await expect(page.getByTestId('sync.status')).toHaveText(/Offline — \d+ changes? waiting/, { timeout: 15_000 })
  await page.screenshot({ path: test.info().outputPath('server-down.png') })
  await server.start()
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 45_000 })
  expect(await serverFile(context, id, 'index.js')).toContain("greet('while the server was down')")
})

test('projects made before signing up are offered to the account at sign-up; accepting moves them whole', async ({ page, context }) => {
  await closeRunFailureWhenShown(page)
  await page.goto(server.url)
  await page.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}/)
  const anonId = /\/p\/([0-9a-f-]{36})/.exec(page.url())![1]!
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await replaceInEditor(page, "greet('Slipway')", "greet('made anonymously')")
  await expect(page.getByTestId('sync.status')).toHaveText('Saved in this browser')

  await signUp(page)
  await page.goto(server.url)
  await expect(page.getByTestId('upload.offer')).toContainText('“Node.js script” was made in this browser')
  await page.screenshot({ path: test.info().outputPath('upload-offer.png') })
  await page.getByTestId('upload.accept').click()
  await expect(page.getByTestId('upload.offer')).toHaveCount(0)

  const list = await (await context.request.get(`${server.url}/api/projects`)).json()
  expect(list.projects).toHaveLength(1)
  const id = list.projects[0].id as string
  expect(id).not.toBe(anonId)
  expect(await serverFile(context, id, 'index.js')).toContain("greet('made anonymously')")
  // One entry on the dashboard: the account project; the anonymous copy is gone, and the moved one opens synced.
  await expect(page.getByTestId('dashboard.project')).toHaveCount(1)
  await page.locator(`[data-testid="dashboard.project"][data-id="${id}"]`).getByRole('link').first().click()
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(page.getByTestId('editor.monaco').locator('.view-lines')).toContainText("greet('made anonymously')", { timeout: 15_000 })
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
})

test('two tabs on the same project: an edit in one shows in the other within a second, both stores stay whole', async ({ context }) => {
  const one = await context.newPage()
  await closeRunFailureWhenShown(one)
  await one.goto(server.url)
  await one.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(one).toHaveURL(/\/p\/[0-9a-f-]{36}/)
  const two = await context.newPage()
  await closeRunFailureWhenShown(two)
  await two.goto(one.url())
  for (const p of [one, two]) await p.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await replaceInEditor(one, "greet('Slipway')", "greet('tab one')")
  await expect(editorLines(two)).toContainText("greet('tab one')", { timeout: 1000 })
  await replaceInEditor(two, 'process.platform', 'process.arch')
  await expect(editorLines(one)).toContainText('process.arch', { timeout: 1000 })
  // A third load reads the store both tabs wrote to.
  await two.close()
  await one.reload()
  await one.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(editorLines(one)).toContainText("greet('tab one')", { timeout: 15_000 })
  await expect(editorLines(one)).toContainText('process.arch')
})

test('switching accounts on one browser never shows the first account\'s kept copies to the second', async ({ page }) => {
  await signUp(page)
  const id = await newServerProject(page)
  await page.goto(server.url)
  await page.getByTestId('app.signout').click()
  await page.getByTestId('signout.keep').click()
  await expect(page.getByTestId('app.signin')).toBeVisible()
  await expect(page.locator(`[data-testid="dashboard.project"][data-id="${id}"]`)).toHaveCount(0)

  await signUp(page)
  await page.goto(server.url)
  await expect(page.getByTestId('dashboard')).toBeVisible()
  await expect(page.locator(`[data-testid="dashboard.project"][data-id="${id}"]`)).toHaveCount(0)
  await page.goto(`${server.url}/p/${id}`)
  await expect(page.getByTestId('workbench.missing')).toBeVisible()
})
