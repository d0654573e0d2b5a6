import { expect, isExpectedAnonymous401, newProject, test } from './fixtures.ts'

// As a person gets it: with the service worker registering and installing (the rest of the suite blocks it).
test.use({ serviceWorkers: 'allow' })

// The production server, opened as a person would: the page must be cross-origin isolated (WebContainer needs
// it), carry every security header, and load the app and Monaco with no console error or CSP violation.
test('the production app is cross-origin isolated, secure, and loads Monaco cleanly', async ({ page, agent }) => {
  const problems: string[] = []
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isExpectedAnonymous401(m.text(), m.location().url)) {
      problems.push(`console.${m.type()}: ${m.text()}`)
    }
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`)
    })
  })

  const response = await page.goto('/')
  expect(response?.status()).toBe(200)
  const headers = response!.headers()
  expect(headers['cross-origin-opener-policy']).toBe('same-origin')
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp')
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
  expect(headers['cache-control']).toBe('no-cache')
  const csp = headers['content-security-policy'] ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("worker-src 'self' blob:")
  expect(csp).not.toContain('unsafe-eval')

  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  // The diagnostics are in Settings → About; the top bar says nothing while all is well.
  await page.getByTestId('app.runtime-settings').click()
  const about = page.getByTestId('settings.about')
  await expect(about.getByTestId('about.isolation')).toHaveAttribute('data-isolated', 'true')
  await expect(about.getByTestId('about.server')).toHaveAttribute('data-state', 'ok')
  await expect(about.getByTestId('about.server')).toContainText('pglite')
  await expect(about.getByTestId('about.coep')).toHaveText('require-corp')
  await expect(page.getByTestId('app.problem')).toHaveCount(0)
  await page.keyboard.press('Escape')

  // Monaco is a lazy chunk; open a project so it loads, starts its workers and edits under the CSP.
  await newProject(page, agent, 'node-script')
  const editor = page.getByTestId('editor.monaco')
  await expect(editor.locator('.view-lines')).toBeVisible({ timeout: 30_000 })
  await editor.locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.type('const answer = 42')
  await expect(editor.locator('.view-lines')).toContainText('const answer = 42')
  await page.waitForTimeout(500)

  expect(problems).toEqual([])
})

test('hashed assets are immutable and the first chunk does not contain Monaco', async ({ page, request }) => {
  await page.goto('/')
  await expect(page.getByTestId('app.topbar')).toBeVisible()
  const entry = await page.locator('script[type="module"][src^="/assets/"]').first().getAttribute('src')
  expect(entry).toBeTruthy()
  const asset = await request.get(entry!)
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
  expect(asset.headers()['cross-origin-embedder-policy']).toBe('require-corp')
  const body = await asset.text()
  expect(body).not.toContain('monaco-editor')
  expect(body.length).toBeLessThan(400 * 1024)
})

test('client routes get the app shell; unknown API routes get JSON 404', async ({ page, request }) => {
  const res = await page.goto('/p/some-project/src/App.tsx')
  expect(res?.status()).toBe(200)
  await expect(page.getByTestId('app.topbar')).toBeVisible()
  const api = await request.get('/api/nope')
  expect(api.status()).toBe(404)
  expect(await api.json()).toMatchObject({ error: { code: 'not_found' } })
})

test('the app frame fits a 375 px wide phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 })
  await page.goto('/')
  await expect(page.getByTestId('app.topbar')).toBeVisible()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await page.screenshot({ path: test.info().outputPath('app-375.png') })
})
