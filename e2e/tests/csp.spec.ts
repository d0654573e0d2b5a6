import type { Page } from '@playwright/test'
import { expect, newProject, previewFrame, test } from './fixtures.ts'

// Issue 16 item 9: the IDE runs under `script-src 'self'`, and the `problems` fixture reports any Content Security
// Policy violation of an IDE page (console message or `securitypolicyviolation` event), in any tab of the test's
// browser context, so a violation fails whichever test meets it.

/// Adds an inline script to the page's document: the IDE's CSP blocks it.
const inlineScript = (page: Page) =>
  page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.inlineRan = true'
    document.head.append(script)
  })

test('the problems fixture reports a CSP violation in the test’s page and in any other IDE tab', async ({ page, problems }) => {
  await page.goto('/')
  await expect(page.getByTestId('dashboard.template').first()).toBeVisible()
  await inlineScript(page)
  await expect.poll(() => problems.filter((p) => /CSP violation in http:\/\/localhost:\d+\/: script-src-elem blocked inline/.test(p))).toHaveLength(1)
  expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false)
  problems.length = 0

  const second = await page.context().newPage()
  await second.goto('/signin')
  await expect(second.getByTestId('auth.email')).toBeVisible()
  await inlineScript(second)
  await expect.poll(() => problems.filter((p) => /CSP violation in http:\/\/localhost:\d+\/signin: script-src-elem blocked inline/.test(p))).toHaveLength(1)
  problems.length = 0
})

test('no IDE screen violates its CSP: dashboard, sign-in, sign-up, settings, and a workbench with a running preview', async ({ page, agent, problems }) => {
  await page.goto(`/${agent.query}`)
  await expect(page.getByTestId('dashboard.template').first()).toBeVisible()
  await page.getByTestId('app.runtime-settings').click()
  await expect(page.getByTestId('settings.local')).toBeVisible()
  await page.keyboard.press('Escape')
  for (const path of ['/signin', '/signup']) {
    await page.goto(path)
    await expect(page.getByTestId('auth.email')).toBeVisible()
  }
  await newProject(page, agent, 'node-server')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 })
  await expect(previewFrame(page).locator('h1')).toHaveText('Hello from Node.js', { timeout: 30_000 })
  await page.getByTestId('preview.console-toggle').click()
  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await expect(page.getByTestId('editor.monaco').locator('.view-lines')).toContainText('Hello from Node.js')
  await page.waitForTimeout(500)
  expect(problems).toEqual([])
})
