import AxeBuilder from '@axe-core/playwright'
import { closeRunFailureWhenShown, expect, newProject, replaceInEditor, test } from './fixtures.ts'
import type { Page } from '@playwright/test'

// The owner's Share dialog (issue 17): publish, the link with Copy and a QR code, Publish again, a secret that blocks
// publishing, Revoke (the link answers 410 to anyone from then on).

async function signUp(page: Page) {
  await page.goto('/signup')
  await page.getByTestId('auth.email').fill(`share-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`)
  await page.getByTestId('auth.password').fill('a long enough password')
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('app.signout')).toBeVisible()
}

/// axe-core's findings on the dialog alone: the page behind a modal is inert for the person (and dimmed by the
/// backdrop, which makes its text fail contrast checks it passes without the dialog).
async function dialogViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="share.dialog"]').analyze()
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('an owner shares a project: link, QR, copy, publish again, a secret blocks publishing, revoke', async ({ page, agent, browser, baseURL, problems }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await signUp(page)
  await newProject(page, agent, 'node-server')
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 })
  const dialog = page.getByTestId('share.dialog')

  // Keyboard only: Ctrl+Alt+S opens it with Create link focused; Enter publishes version 1.
  await page.keyboard.press('Control+Alt+S')
  // The dialog's chunk loads on first use (a loaded CI machine can take seconds).
  await expect(dialog.getByTestId('share.publish')).toBeFocused({ timeout: 20_000 })
  expect(await dialogViolations(page), 'no link yet').toEqual([])
  await page.keyboard.press('Enter')
  const url = dialog.getByTestId('share.url')
  await expect(url).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}$/)
  const link = await url.inputValue()
  await expect(dialog.getByTestId('share.qr')).toBeVisible()
  await expect(dialog.getByTestId('share.summary')).toContainText(/Version 1 · \d+ files · [\d.]+ (B|KB)/)
  expect(await dialogViolations(page), 'published').toEqual([])

  // Copy: focused after publishing, so Enter copies; the button says so and the clipboard holds the link.
  await expect(dialog.getByTestId('share.copy')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('share.copy')).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link)

  // Publish again, from the keyboard: the button keeps focus while it works (it used to be disabled, which dropped
  // focus to the page's body), then Copy takes it.
  await page.keyboard.press('Tab')
  await expect(dialog.getByTestId('share.again')).toBeFocused()
  // The server is slowed down, so the button is seen at work.
  let release = () => {}
  const held = new Promise<void>((r) => (release = r))
  await page.route('**/api/projects/*/shares/*/versions', async (route) => {
    await held
    await route.continue()
  })
  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('share.again')).toHaveText('Publishing…')
  await expect(dialog.getByTestId('share.again')).toBeFocused()
  release()
  await expect(dialog.getByTestId('share.version')).toHaveCount(2)
  await page.unroute('**/api/projects/*/shares/*/versions')
  await expect(dialog.getByTestId('share.copy')).toBeFocused()
  await expect(dialog.getByTestId('share.summary')).toContainText('Version 2')
  await expect(url).toHaveValue(link)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)

  // A secret: nothing is published, the file and line are named, and a press opens it there.
  await page.getByTestId('tree.new-file').click()
  await page.getByTestId('tree.input').fill('.npmrc')
  await page.keyboard.press('Enter')
  await page.locator('[data-testid="tree.item"][data-path=".npmrc"]').click()
  await page.getByTestId('editor.monaco').locator('.view-lines').click()
  await page.keyboard.type('registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5\n')
  await page.getByTestId('workbench.share').click()
  await dialog.getByTestId('share.again').click()
  const secret = dialog.getByTestId('share.secret')
  await expect(secret).toHaveCount(1)
  await expect(secret).toContainText('.npmrc:2')
  await expect(secret).toContainText('npm auth token')
  await expect(dialog.getByTestId('share.version')).toHaveCount(2)
  expect(await dialogViolations(page), 'secrets').toEqual([])
  await secret.getByRole('button').click()
  await expect(dialog).toHaveCount(0)
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', '.npmrc')
  // The editor has focus there, so the person can delete the line at once (the dialog used to hand focus back to
  // the Share button as it closed).
  const editorFocused = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid="editor.monaco"]'))
  await expect.poll(editorFocused).toBe(true)

  // Revoke, confirmed in place: the link shows revoked, a new one can be made, and the link answers 410 to anyone.
  // From the editor, where that left focus, through the command palette (F1): Share is one of its commands.
  await page.keyboard.press('F1')
  await page.keyboard.type('Share')
  await page.keyboard.press('Enter')
  // From the keyboard: the question takes focus on its safe answer; "Keep" gives focus back to Revoke…; revoking
  // hands focus to "Create a new link" (the buttons that had it are gone: focus used to fall to the page's body).
  const revoke = dialog.getByTestId('share.revoke')
  await revoke.focus()
  await page.keyboard.press('Enter')
  const keep = dialog.getByRole('button', { name: 'Keep the link' })
  await expect(keep).toBeFocused()
  expect(await dialogViolations(page), 'revoke question').toEqual([])
  await page.keyboard.press('Enter')
  await expect(revoke).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(keep).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(dialog.getByTestId('share.revoke-yes')).toBeFocused()
  await page.keyboard.press('Enter')
  const id = link.slice(-22)
  await expect(dialog.locator(`[data-testid="share.other"][data-link="${id}"]`)).toHaveAttribute('data-revoked', 'true')
  await expect(dialog.getByTestId('share.publish')).toHaveText('Create a new link')
  await expect(dialog.getByTestId('share.publish')).toBeFocused()
  expect(await dialogViolations(page), 'revoked').toEqual([])
  // Escape closes it and focus returns to the editor, where it was.
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect.poll(editorFocused).toBe(true)
  const stranger = await browser.newContext({ baseURL: String(baseURL) })
  expect((await stranger.request.get(`/api/s/${id}`)).status()).toBe(410)
  expect((await stranger.request.get(`/s/${id}@1`)).status()).toBe(410)
  await stranger.close()
  // Chromium logs the refused publish (422 secrets_found) as a failed resource; nothing else may be logged.
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([])
})

test('edits the server lacks: the dialog says so before publishing, offline too; back online the version has them', async ({ page, agent, baseURL, problems }) => {
  test.setTimeout(180_000)
  // Offline also cuts this page from the local runtime agent: the run may fail, and its panel must not cover the tree.
  await closeRunFailureWhenShown(page)
  const context = page.context()
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  // A browser that refuses the Clipboard API (a plain-http address other than localhost has none at all): Copy still
  // copies, the old way.
  await context.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) })
  })
  await signUp(page)
  await newProject(page, agent, 'node-server')
  const status = page.getByTestId('sync.status')
  await expect(status).toHaveAttribute('data-state', 'synced', { timeout: 20_000 })
  const dialog = page.getByTestId('share.dialog')
  await page.keyboard.press('Control+Alt+S')
  await dialog.getByTestId('share.publish').click({ timeout: 20_000 })
  const url = dialog.getByTestId('share.url')
  await expect(url).toHaveValue(/\/s\/[A-Za-z0-9_-]{22}$/)
  const link = await url.inputValue()
  await dialog.getByTestId('share.copy').click()
  await expect(dialog.getByTestId('share.copy')).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link)
  await page.keyboard.press('Escape')

  // Offline, an edit: one note says both that sharing waits for the network and that the edit is only here (the
  // links' failed load used to add a second, red "you seem to be offline" with a Try again that could not work).
  await context.setOffline(true)
  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(page, 'Hello from Node.js', 'Edited offline')
  await expect(status).toHaveAttribute('data-state', 'offline')
  await page.keyboard.press('Control+Alt+S')
  await expect(dialog.getByTestId('share.offline')).toContainText("You're offline")
  await expect(dialog.getByTestId('share.pending')).toHaveText(/^Your latest edit \(1 change\) is saved in this browser only/)
  await expect(dialog.getByRole('alert')).toHaveCount(0)
  await expect(dialog.getByRole('button', { name: 'Try again' })).toHaveCount(0)
  expect(await dialogViolations(page), 'offline').toEqual([])

  // Back online: the links load, the edit syncs, and Publish again publishes it.
  await context.setOffline(false)
  await expect(dialog.getByTestId('share.offline')).toHaveCount(0)
  await dialog.getByTestId('share.again').click({ timeout: 20_000 })
  await expect(dialog.getByTestId('share.summary')).toContainText('Version 2')
  const id = link.slice(-22)
  expect(await versionText(page, String(baseURL), id, 'server.js')).toContain('Edited offline')
  await page.keyboard.press('Escape')

  // Online, but the edits cannot reach the server: said up front; publishing asks; Publish anyway says the version
  // is older than the editor.
  await page.route('**/api/projects/*/sync**', (route) => route.abort())
  await replaceInEditor(page, 'Edited offline', 'Not on the server')
  await expect(status).not.toHaveAttribute('data-state', /synced|saved-locally|syncing/, { timeout: 20_000 })
  await page.keyboard.press('Control+Alt+S')
  await expect(dialog.getByTestId('share.pending')).toHaveText(/^Your latest edit \(1 change\) is not on the server yet\. Publishing sends it first/)
  await dialog.getByTestId('share.again').click()
  await expect(dialog.getByTestId('share.stale')).toBeVisible({ timeout: 30_000 })
  await expect(dialog.getByTestId('share.wait')).toBeFocused()
  expect(await dialogViolations(page), 'stale').toEqual([])
  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('share.waiting')).toBeVisible()
  await expect(dialog.getByTestId('share.cancel-wait')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('share.again')).toBeFocused()
  await page.keyboard.press('Enter')
  await dialog.getByTestId('share.anyway').click({ timeout: 30_000 })
  await expect(dialog.getByTestId('share.summary')).toContainText('Version 3')
  await expect(dialog.getByTestId('share.behind')).toHaveText(/your latest edits are not in it/)
  await expect(dialog.getByTestId('share.pending')).toHaveCount(0)
  expect(await versionText(page, String(baseURL), id, 'server.js')).toContain('Edited offline')
  expect(await dialogViolations(page), 'published anyway').toEqual([])
  await page.unroute('**/api/projects/*/sync**')
  // Offline requests, the aborted syncs and the stale answers (409) are logged by Chromium as failed resources.
  expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|status of 409/.test(p))).toEqual([])
})

/// The text of one file of a link's latest version, as anyone with the link gets it.
async function versionText(page: Page, baseURL: string, linkId: string, path: string): Promise<string> {
  const manifest = (await (await page.request.get(`${baseURL}/api/s/${linkId}`)).json()) as { version: { files: Array<{ path: string; sha256: string }> } }
  const file = manifest.version.files.find((f) => f.path === path)
  if (!file) throw new Error(`${path} is not in the version`)
  return (await page.request.get(`${baseURL}/api/s/${linkId}/blobs/${file.sha256}`)).text()
}
