import type { Page } from '@playwright/test'
import { closeRunFailureWhenShown, expect, test } from './fixtures.ts'

// Issue 16 item 1, as reported: one account signed in in two browser profiles, both on the same Node.js script
// project and the same local runtime agent. Each profile's bridge imported the other's writes to the shared project
// folder as edits of its own, and an edit multiplied about once a second, in both editors, on disk and on the server.

const PASSWORD = 'a long enough password'
const LINE = "console.log('repro-2')"

const editorLines = (page: Page) => page.getByTestId('editor.monaco').locator('.view-lines')
const copies = async (text: string | Promise<string>) => (await text).split('repro-2').length - 1

async function openIndex(page: Page) {
  await expect(page.getByTestId('workbench')).toBeVisible()
  // The runtime is up and its bridge follows the project folder (the banner goes once the files are mounted).
  await expect(page.getByTestId('runtime.booting')).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByTestId('runtime.failed')).toHaveCount(0)
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(editorLines(page)).toContainText("greet('Slipway')")
}

test('two profiles of one account on one project and one local agent: an edit lands exactly once', async ({ browser, agent }) => {
  test.setTimeout(120_000)
  const one = await browser.newContext()
  const two = await browser.newContext()
  try {
    const a = await one.newPage()
    const b = await two.newPage()
    for (const page of [a, b]) await closeRunFailureWhenShown(page)

    const email = `two-profiles-${Date.now()}@example.com`
    await a.goto(`/signup${agent.query}`)
    await a.getByTestId('auth.email').fill(email)
    await a.getByTestId('auth.password').fill(PASSWORD)
    await a.getByTestId('auth.submit').click()
    await expect(a.getByTestId('app.account')).toContainText(email)
    await a.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
    await expect(a).toHaveURL(/\/p\/[0-9a-f-]{36}/)
    const id = /\/p\/([0-9a-f-]{36})/.exec(a.url())![1]!
    await expect(a.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })

    await b.goto(`/signin${agent.query}`)
    await b.getByTestId('auth.email').fill(email)
    await b.getByTestId('auth.password').fill(PASSWORD)
    await b.getByTestId('auth.submit').click()
    await expect(b.getByTestId('app.account')).toContainText(email)
    await b.goto(`/p/${id}${agent.query}`)
    await expect(b.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
    await openIndex(a)
    await openIndex(b)

    // At the end of index.js, in profile A.
    await editorLines(a).click()
    await a.keyboard.press('ControlOrMeta+End')
    await a.keyboard.type(LINE)
    await expect(editorLines(a)).toContainText(LINE)
    const typedAt = Date.now()

    const serverText = async () => {
      const res = await one.request.get(`/api/projects/${id}/files/index.js`)
      expect(res.status()).toBe(200)
      return res.text()
    }
    // It reaches profile B and the server (sync polls every few seconds)...
    await expect.poll(() => copies(editorLines(b).innerText()), { timeout: 30_000 }).toBeGreaterThan(0)
    await expect.poll(() => copies(serverText()), { timeout: 30_000 }).toBeGreaterThan(0)
    // ...and, 10 s after it was typed (the issue counted 11 copies by then), it is there exactly once everywhere.
    await a.waitForTimeout(Math.max(0, typedAt + 10_000 - Date.now()))
    for (const page of [a, b]) await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
    await a.screenshot({ path: test.info().outputPath('profile-a.png') })
    await b.screenshot({ path: test.info().outputPath('profile-b.png') })
    expect(await copies(editorLines(a).innerText())).toBe(1)
    expect(await copies(editorLines(b).innerText())).toBe(1)
    const text = await serverText()
    expect(await copies(text)).toBe(1)
    expect(text.trimEnd().endsWith(LINE)).toBe(true)
  } finally {
    await one.close()
    await two.close()
  }
})
