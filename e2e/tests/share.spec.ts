import type { APIRequestContext, Page } from '@playwright/test'
import { axeViolations, expect, isExpectedAnonymous401, previewFrame, replaceInEditor, test } from './fixtures.ts'

// Share links (issue 17), end to end on the local runtime: an owner shares a project; someone with no account, in a
// browser of their own, opens the link, reads the code, forks it; the owner publishes again and revokes.
// Until the owner's Share dialog lands, links are made through the HTTP API with the owner's session.
test.use({ serviceWorkers: 'allow' })
test.describe.configure({ timeout: 600_000 })

const PASSWORD = 'a long enough password'
// An empty Yjs state vector: the server holds everything in it, so it publishes what it has (synced beforehand).
const EMPTY_STATE_VECTOR = 'AA'

async function api(request: APIRequestContext, baseURL: string, method: 'POST' | 'DELETE', path: string, body: unknown = {}) {
  const res = await request.fetch(`${baseURL}${path}`, { method, headers: { origin: baseURL, 'content-type': 'application/json' }, data: JSON.stringify(body) })
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300)
  return res.status() === 204 ? undefined : res.json()
}

const heading = (page: Page) => previewFrame(page).locator('h1')
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36'

test('share: open a running preview with no account, read the code, fork; publish again, pin, phone, offline, revoke', async ({ page, agent, browser, baseURL, problems }) => {
  const origin = String(baseURL)
  // The owner: an account project from the Node server template, edited.
  await page.goto(`/signup${agent.query}`)
  await page.getByTestId('auth.email').fill(`share-${Date.now()}@example.com`)
  await page.getByTestId('auth.password').fill(PASSWORD)
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('app.account')).toBeVisible()

  // The owner names themselves in Settings → Account, from the keyboard: Enter saves the name (not the dialog), a
  // name the server would refuse is answered in place, and the viewer will see the saved one as "by …".
  await page.getByTestId('app.runtime-settings').click()
  const settings = page.getByTestId('settings.runtime')
  const nameField = settings.getByTestId('settings.displayName')
  await expect(nameField).toHaveValue('')
  await expect(settings.getByTestId('settings.account')).toContainText('Shown as “by …” on links you share')
  await nameField.focus()
  await page.keyboard.insertText('x'.repeat(61))
  await page.keyboard.press('Enter')
  await expect(settings.getByTestId('settings.displayNameError')).toHaveText('The display name must be at most 60 characters long.')
  await expect(nameField).toHaveAttribute('aria-invalid', 'true')
  await expect(nameField).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText('  Ada <b>Lovelace</b> ✨ ')
  await page.keyboard.press('Enter')
  await expect(settings.getByTestId('settings.displayNameStatus')).toHaveText('Saved. Links you share now say “by Ada <b>Lovelace</b> ✨”.')
  await expect(settings.getByTestId('settings.displayNameError')).toHaveCount(0)
  await expect(nameField).toHaveValue('Ada <b>Lovelace</b> ✨')
  await expect(settings).toBeVisible()
  expect(await axeViolations(page)).toEqual([])
  // On a phone the field and its button fit the dialog.
  const desktop = page.viewportSize()!
  await page.setViewportSize({ width: 375, height: 812 })
  await settings.getByTestId('settings.account').scrollIntoViewIfNeeded()
  await expect(settings.getByTestId('settings.displayNameSave')).toBeInViewport({ ratio: 1 })
  expect(await settings.getByTestId('settings.account').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  await page.screenshot({ path: test.info().outputPath('settings-display-name-phone.png') })
  expect(await axeViolations(page)).toEqual([])
  await page.setViewportSize(desktop)
  await page.keyboard.press('Escape')
  await expect(settings).toHaveCount(0)

  await page.locator('[data-testid="dashboard.template"][data-template="node-server"]').click()
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}/)
  const projectId = /\/p\/([0-9a-f-]{36})/.exec(page.url())![1]!
  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(page, 'Hello from Node.js', 'Shared one')
  // Any free port: the owner's server, the viewer's and the fork's run side by side on one agent (and other suites'
  // servers on this machine may hold 3000).
  await replaceInEditor(page, 'Number(process.env.PORT ?? 3000)', '0')
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
  const published = await api(page.request, origin, 'POST', `/api/projects/${projectId}/shares`, { stateVector: EMPTY_STATE_VECTOR })
  const linkId: string = published.link.id
  expect(published.version.n).toBe(1)

  // A second browser: fresh storage, no account, the same local runtime agent.
  // On Linux, as the machine is (the config's desktop device says Windows): Monaco draws some things per platform.
  const viewerContext = await browser.newContext({ serviceWorkers: 'allow', userAgent: LINUX_CHROME })
  const viewer = await viewerContext.newPage()
  // Offline, failed requests and the runtime's refused socket are expected errors.
  let offline = false
  viewer.on('pageerror', (e) => problems.push(`viewer pageerror: ${e.message}`))
  viewer.on('console', (m) => {
    if (m.type() === 'error' && !offline && !isExpectedAnonymous401(m.text(), m.location().url) && !/ERR_INTERNET_DISCONNECTED|status of 410/.test(m.text())) problems.push(`viewer console.error: ${m.text()}`)
  })
  await viewer.goto(`${origin}/s/${linkId}${agent.query}`)
  await expect(viewer.getByTestId('share.name')).toBeVisible({ timeout: 30_000 })
  await expect(viewer.getByTestId('share.version')).toHaveText('v1')
  // The owner's display name, as text (never markup), and never their email.
  await expect(viewer.getByTestId('share.owner')).toHaveText('by Ada <b>Lovelace</b> ✨')
  await expect(viewer.getByTestId('share.owner').locator('b')).toHaveCount(0)
  await expect(viewer.getByTestId('share.bar')).not.toContainText('@example.com')
  await expect(heading(viewer)).toHaveText('Shared one', { timeout: 120_000 })
  await expect(viewer.getByTestId('share.open-preview')).toHaveAttribute('href', /^http/)
  expect(await axeViolations(viewer)).toEqual([])
  // A tablet or small laptop (900 px): one row with room for all of it. The name is whole and the stepper's step is
  // not cut (they used to be squeezed to "Node.js …" and "Re…" by the full stepper and the buttons' labels).
  await viewer.setViewportSize({ width: 900, height: 800 })
  await expect(viewer.locator('.run-step[data-step-id="ready"][data-state="done"]')).toBeVisible()
  const fits = (selector: string) => viewer.locator(selector).first().evaluate((el) => el.scrollWidth <= el.clientWidth)
  expect(await fits('[data-testid="share.bar"]')).toBe(true)
  expect(await fits('[data-testid="share.name"]')).toBe(true)
  expect(await fits('[data-testid="share.bar"] .run-steps')).toBe(true)
  await expect(viewer.getByTestId('share.owner')).toBeVisible()
  await expect(viewer.getByTestId('share.fork')).toBeInViewport()
  await viewer.screenshot({ path: test.info().outputPath('share-900.png') })
  expect(await axeViolations(viewer)).toEqual([])
  await viewer.setViewportSize({ width: 1280, height: 720 })
  await viewer.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))

  // Code at lines 2–3 of server.js: highlighted, and typing is impossible.
  await viewer.goto(`${origin}/s/${linkId}?file=server.js:L2-L3`)
  await expect(viewer.getByTestId('share.page')).toHaveAttribute('data-view', 'code')
  const monaco = viewer.getByTestId('editor.monaco')
  await expect(monaco).toHaveAttribute('data-path', 'server.js', { timeout: 30_000 })
  await expect(monaco.locator('.editor-range-highlight')).toHaveCount(2)
  await expect(viewer.getByTestId('tree.new-file')).toHaveCount(0)
  // Every line number drawn, the last (the final newline's) included: Monaco dims that one on Linux by default, below
  // the contrast axe asks for.
  const lines = await monaco.locator('.view-line').count()
  await expect(monaco.locator('.line-numbers').filter({ hasText: new RegExp(`^${lines}$`) })).toBeVisible()
  expect(await axeViolations(viewer)).toEqual([])
  await monaco.locator('.view-lines').click()
  await viewer.keyboard.type('zz')
  await expect(viewer.locator('.monaco-editor-overlaymessage')).toContainText('Read-only: Fork to edit')
  await expect(monaco.locator('.view-lines')).not.toContainText('zz')

  // Fork: a project in this browser, editable; the original is unchanged.
  await viewer.getByTestId('share.fork').click()
  await expect(viewer).toHaveURL(/\/p\/[0-9a-f-]{36}$/)
  await expect(viewer.getByTestId('workbench')).toBeVisible()
  await viewer.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(viewer, 'Shared one', 'Forked copy')
  await expect(viewer.getByTestId('editor.monaco').locator('.view-lines')).toContainText('Forked copy')
  const original = await page.request.get(`${origin}/api/projects/${projectId}/files/server.js`)
  expect(await original.text()).toContain('Shared one')

  // The owner renames themselves (Save name, by mouse this time) and publishes again: the link shows the new text and
  // the new name, @1 still the old text but the owner's name as it is now.
  await page.getByTestId('workbench.runtime').click()
  await settings.getByTestId('settings.displayName').fill('Countess of Lovelace')
  await settings.getByTestId('settings.displayNameSave').click()
  await expect(settings.getByTestId('settings.displayNameStatus')).toHaveText('Saved. Links you share now say “by Countess of Lovelace”.')
  await page.keyboard.press('Escape')
  await expect(settings).toHaveCount(0)
  await replaceInEditor(page, 'Shared one', 'Second take')
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
  const again = await api(page.request, origin, 'POST', `/api/projects/${projectId}/shares/${linkId}/versions`, { stateVector: EMPTY_STATE_VECTOR })
  expect(again.version.n).toBe(2)
  await viewer.goto(`${origin}/s/${linkId}`)
  await expect(viewer.getByTestId('share.version')).toHaveText('v2')
  await expect(viewer.getByTestId('share.owner')).toHaveText('by Countess of Lovelace')
  await expect(heading(viewer)).toHaveText('Second take', { timeout: 120_000 })
  await viewer.goto(`${origin}/s/${linkId}@1`)
  await expect(viewer.getByTestId('share.version')).toHaveText('v1')
  await expect(viewer.getByTestId('share.owner')).toHaveText('by Countess of Lovelace')
  await expect(viewer.getByTestId('share.latest')).toHaveText('v2 is out')
  await expect(heading(viewer)).toHaveText('Shared one', { timeout: 120_000 })

  // A phone: the preview fills the screen under a compact bar.
  await viewer.setViewportSize({ width: 375, height: 812 })
  await viewer.goto(`${origin}/s/${linkId}`)
  await expect(heading(viewer)).toHaveText('Second take', { timeout: 120_000 })
  const bar = (await viewer.getByTestId('share.bar').boundingBox())!
  const preview = (await viewer.getByTestId('share.preview').boundingBox())!
  expect(bar.height).toBeLessThanOrEqual(52)
  expect(preview.width).toBe(375)
  expect(preview.height).toBeGreaterThan(812 - bar.height - 10)
  // Who shared it shows on a phone too (it used to be dropped), under the name.
  await expect(viewer.getByTestId('share.owner')).toBeVisible()
  expect((await viewer.getByTestId('share.name').boundingBox())!.width).toBeGreaterThan(60)
  await viewer.screenshot({ path: test.info().outputPath('share-phone.png') })
  expect(await axeViolations(viewer)).toEqual([])

  // Offline after a visit: the link opens from this device.
  offline = true
  await viewerContext.setOffline(true)
  await viewer.reload()
  await expect(viewer.getByTestId('share.offline')).toBeVisible({ timeout: 30_000 })
  await expect(viewer.getByTestId('share.version')).toHaveText('v2')
  // On the phone, the Offline pill used to squeeze the project's name to nothing.
  expect((await viewer.getByTestId('share.name').boundingBox())?.width ?? 0).toBeGreaterThan(60)
  await expect(viewer.getByTestId('share.owner')).toBeVisible()
  await viewer.screenshot({ path: test.info().outputPath('share-phone-offline.png') })
  await viewer.getByTestId('share.view-code').click()
  await expect(viewer.getByTestId('editor.monaco').locator('.view-lines')).toContainText('Second take', { timeout: 30_000 })
  await viewerContext.setOffline(false)
  await viewer.goto('about:blank')
  offline = false

  // Revoked: the viewer says so and this device's copies are gone.
  await api(page.request, origin, 'DELETE', `/api/projects/${projectId}/shares/${linkId}`)
  await viewer.goto(`${origin}/s/${linkId}`)
  await expect(viewer.getByTestId('share.revoked')).toContainText('This link was revoked')
  expect(await axeViolations(viewer)).toEqual([])
  await expect
    .poll(() => viewer.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.includes('share-'))))
    .toEqual([])
  await viewerContext.close()
  expect(problems).toEqual([])
})

test('share: an unknown link says so', async ({ page }) => {
  await page.goto('/s/AAAAAAAAAAAAAAAAAAAAAA')
  await expect(page.getByTestId('share.not-found')).toContainText('This link does not exist')
  await page.goto('/s/not-a-link')
  await expect(page.getByTestId('share.not-found')).toBeVisible()
})

test('a pinned version that does not exist says which one, and offers the latest', async ({ page }) => {
  // A well-formed id no one has: the same answer as a live link's missing version (nothing says whether the link exists).
  await page.goto('/s/AAAAAAAAAAAAAAAAAAAAAA@9')
  const missing = page.getByTestId('share.version-not-found')
  await expect(missing.getByRole('heading')).toHaveText('Version 9 does not exist')
  await missing.getByTestId('share.latest').click()
  await expect(page).toHaveURL(/\/s\/AAAAAAAAAAAAAAAAAAAAAA$/)
  await expect(page.getByTestId('share.not-found')).toBeVisible()
  expect(await axeViolations(page)).toEqual([])
})
