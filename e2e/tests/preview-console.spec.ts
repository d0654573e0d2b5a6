import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, newProject, previewFrame, replaceInEditor, test } from './fixtures.ts'

// The preview console (issue 16 item 3). Both runtimes load the same script into every preview page; on the local
// runtime the agent's preview proxy serves it. It forwards every console level, uncaught exceptions and unhandled
// rejections to the IDE, which counts them per level and filters by level.

const PAGE_SCRIPT = [
  '<p>Broken on purpose</p><script>',
  'console.log("from the preview", { n: 1 }, [1, 2]);',
  'console.info("some %s", "info");',
  'console.warn("careful: %d left", 3);',
  'console.debug("details");',
  'console.error("an error", 42);',
  'Promise.reject(new Error("nobody caught me"));',
  'throw new Error("Preview boom")',
  '</script>',
].join(' ')

const EXPECTED = [
  ['log', 'console', 'from the preview {n: 1} [1, 2]'],
  ['info', 'console', 'some info'],
  ['warn', 'console', 'careful: 3 left'],
  ['debug', 'console', 'details'],
  ['error', 'console', 'an error 42'],
  ['error', 'uncaught-exception', 'Uncaught Error: Preview boom'],
  ['error', 'unhandled-rejection', 'Unhandled rejection: Error: nobody caught me'],
] as const

/// Every axe violation inside the console panel, whatever its impact.
async function consoleAxe(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="preview.console"]').analyze()
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('the preview console shows every console level and uncaught errors, counted per level, with level filters', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-server')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 })
  await expect(previewFrame(page).locator('h1')).toHaveText('Hello from Node.js', { timeout: 30_000 })

  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(page, '<p>Edit server.js and save.</p>', PAGE_SCRIPT)
  await expect(previewFrame(page).locator('p')).toHaveText('Broken on purpose', { timeout: 30_000 })
  const toggle = page.getByTestId('preview.console-toggle')
  await expect(page.getByTestId('preview.console-badge')).toBeVisible()
  // One clean load of the page, whatever the server's restart did before.
  await toggle.click()
  await page.getByTestId('preview.console-clear').click()
  await page.getByTestId('preview.reload').click()

  const items = page.getByTestId('preview.console-item')
  await expect(items).toHaveCount(EXPECTED.length)
  for (const [level, kind, text] of EXPECTED) {
    const item = items.filter({ hasText: text })
    await expect(item).toHaveCount(1)
    await expect(item).toHaveAttribute('data-level', level)
    await expect(item).toHaveAttribute('data-kind', kind)
  }
  await expect(page.getByTestId('preview.console-badge')).toHaveText('3')
  await expect(toggle).toHaveAccessibleName('Console, 3 errors, 1 warning')

  // A toggle per level, with its count; each hides and shows its level.
  const levels = page.getByTestId('preview.console-level')
  await expect(levels).toHaveText(['3 errors', '1 warning', '1 info', '1 log', '1 debug'])
  await expect(levels.first()).toHaveAttribute('aria-pressed', 'true')
  const level = (name: string) => page.locator(`[data-testid="preview.console-level"][data-level="${name}"]`)
  await level('log').click()
  await expect(level('log')).toHaveAttribute('aria-pressed', 'false')
  await expect(items).toHaveCount(EXPECTED.length - 1)
  await expect(items.and(page.locator('[data-level="log"]'))).toHaveCount(0)
  await level('error').click()
  await expect(items).toHaveCount(3)
  await expect(items.first()).toHaveAttribute('data-level', 'info')
  // Counts stay what the page logged, shown or not.
  await expect(levels).toHaveText(['3 errors', '1 warning', '1 info', '1 log', '1 debug'])

  const panel = page.getByTestId('preview.console')
  await panel.screenshot({ path: test.info().outputPath('console-filtered-desktop.png') })
  expect(await consoleAxe(page)).toEqual([])
  await level('error').click()
  await level('log').click()
  await expect(items).toHaveCount(EXPECTED.length)
  await items.filter({ hasText: 'Preview boom' }).getByText('Stack').click()
  await panel.screenshot({ path: test.info().outputPath('console-desktop.png') })
  await page.screenshot({ path: test.info().outputPath('workbench-console-desktop.png') })
  expect(await consoleAxe(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  await panel.screenshot({ path: test.info().outputPath('console-desktop-dark.png') })
  expect(await consoleAxe(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'light' })

  // A phone: the same console in the preview pane.
  await page.setViewportSize({ width: 375, height: 812 })
  await page.getByTestId('mobile.preview').click()
  if (!(await panel.isVisible())) await toggle.click()
  // The phone layout mounts the preview anew, so the page ran again: once more from a clean console.
  await page.getByTestId('preview.console-clear').click()
  await page.getByTestId('preview.reload').click()
  await expect(items).toHaveCount(EXPECTED.length)
  await expect(levels).toHaveText(['3 errors', '1 warning', '1 info', '1 log', '1 debug'])
  for (const toggleButton of await levels.all()) await expect(toggleButton).toBeInViewport({ ratio: 1 })
  await page.screenshot({ path: test.info().outputPath('workbench-console-375.png') })
  expect(await consoleAxe(page)).toEqual([])

  await page.getByTestId('preview.console-clear').click()
  await expect(items).toHaveCount(0)
  await expect(levels).toHaveCount(0)
  await expect(page.getByTestId('preview.console-badge')).toHaveCount(0)
  await expect(toggle).toHaveAccessibleName('Console')
  // the IDE page itself stays clean (Playwright reports the frame's own errors on the page too)
  expect(problems.filter((p) => !/from the preview|Preview boom|nobody caught me|an error/.test(p))).toEqual([])
})
