import { expect, newProject, previewFrame, replaceInEditor, test } from './fixtures.ts'

// The IDE page (cross-origin isolated) on the local runtime: real node, npm and dev servers, previews framed from
// the agent's own loopback origin.

test('Node HTTP template: runs, previews, and an edit restarts it and shows the change', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-server')
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 })
  await expect(previewFrame(page).locator('h1')).toHaveText('Hello from Node.js', { timeout: 30_000 })
  await page.screenshot({ path: test.info().outputPath('node-server-running.png') })

  await page.locator('[data-testid="tree.item"][data-path="server.js"]').click()
  await replaceInEditor(page, 'Hello from Node.js', 'Hello from Slipway')
  await expect(previewFrame(page).locator('h1')).toHaveText('Hello from Slipway', { timeout: 30_000 })
  await page.screenshot({ path: test.info().outputPath('node-server-edited.png') })
  expect(problems).toEqual([])
})

test('Vite + React template: npm install, dev server, HMR without a reload', async ({ page, agent, problems }) => {
  test.setTimeout(240_000)
  await newProject(page, agent, 'vite-react')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 180_000 })
  const frame = previewFrame(page)
  await expect(frame.locator('h1')).toHaveText('Vite + React', { timeout: 60_000 })
  // Click the counter: state that a full reload would lose.
  await frame.locator('button').click()
  await expect(frame.locator('button')).toHaveText('count is 1')

  // The click went into the preview frame; shortcuts belong to the IDE page, so come back to it first.
  await page.getByTestId('workbench.name').click()
  await page.keyboard.press('ControlOrMeta+P')
  await page.getByTestId('quickopen.input').fill('App.jsx')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'src/App.jsx')
  await replaceInEditor(page, '<h1>Vite + React</h1>', '<h1>Hot edited</h1>')
  await expect(frame.locator('h1')).toHaveText('Hot edited', { timeout: 30_000 })
  await expect(frame.locator('button')).toHaveText('count is 1')
  await page.screenshot({ path: test.info().outputPath('vite-react-hmr.png') })
  expect(problems).toEqual([])
})
