import { expect, newProject, previewFrame, replaceInEditor, test } from './fixtures.ts'

// The preview console on the local runtime: the agent's preview proxy loads a script into the page that forwards
// console errors, uncaught exceptions and unhandled rejections to the IDE (WebContainer does this by itself).

test('preview console shows the page’s console errors, uncaught exceptions and unhandled rejections', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-server')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 })
  await expect(previewFrame(page).locator('h1')).toHaveText('Hello from Node.js', { timeout: 30_000 })

  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(
    page,
    '<p>Edit server.js and save.</p>',
    '<p>Broken on purpose</p><script>console.error("from the preview", { n: 1 }); Promise.reject(new Error("nobody caught me")); throw new Error("Preview boom")</script>',
  )
  await expect(previewFrame(page).locator('p')).toHaveText('Broken on purpose', { timeout: 30_000 })

  await expect(page.getByTestId('preview.console-badge')).toBeVisible()
  await page.getByTestId('preview.console-toggle').click()
  const items = page.getByTestId('preview.console-item')
  await expect(items.filter({ hasText: 'from the preview {"n":1}' })).toHaveAttribute('data-kind', 'console')
  await expect(items.filter({ hasText: 'Preview boom' })).toHaveAttribute('data-kind', 'uncaught-exception')
  await expect(items.filter({ hasText: 'nobody caught me' })).toHaveAttribute('data-kind', 'unhandled-rejection')
  await page.screenshot({ path: test.info().outputPath('preview-console.png') })
  // the IDE page itself stays clean (Playwright reports the frame's own errors on the page too)
  expect(problems.filter((p) => !/from the preview|Preview boom|nobody caught me/.test(p))).toEqual([])
})
