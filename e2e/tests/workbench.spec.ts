import { expect, newProject, test } from './fixtures.ts'

/// A fresh interactive shell in a new terminal tab (Run's own tabs run the dev script, not a shell).
async function openShell(page: import('@playwright/test').Page) {
  await expect(page.getByTestId('runtime.booting')).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId('terminal.new').click()
  await expect(page.locator('[data-testid="terminal.tab"][data-active="true"]')).not.toContainText('npm')
  await expect(page.getByTestId('terminal.view')).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
}

async function terminalType(page: import('@playwright/test').Page, text: string) {
  await page.getByTestId('terminal.view').click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

test('a file created from the terminal appears in the tree and opens in the editor', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await openShell(page)
  await terminalType(page, 'echo hi > x.txt')
  const item = page.locator('[data-testid="tree.item"][data-path="x.txt"]')
  await expect(item).toBeVisible({ timeout: 15_000 })
  await item.click()
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'x.txt')
  await expect(page.getByTestId('editor.monaco').locator('.view-lines')).toContainText('hi')
  expect(problems).toEqual([])
})

test('tree: create, rename with F2, delete with confirm; quick open; search opens at the line', async ({ page, agent }) => {
  await newProject(page, agent, 'node-script')
  await page.getByTestId('tree.new-file').click()
  await page.getByTestId('tree.input').fill('notes.md')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="tree.item"][data-path="notes.md"]')).toBeVisible()

  await page.locator('[data-testid="tree.item"][data-path="notes.md"]').click()
  await page.keyboard.press('F2')
  await page.getByTestId('tree.input').fill('todo.md')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="tree.item"][data-path="todo.md"]')).toBeVisible()
  await expect(page.locator('[data-testid="tree.item"][data-path="notes.md"]')).toHaveCount(0)

  await page.locator('[data-testid="tree.item"][data-path="todo.md"]').click()
  await page.keyboard.press('Delete')
  await page.getByTestId('dialog.confirm').click()
  await expect(page.locator('[data-testid="tree.item"][data-path="todo.md"]')).toHaveCount(0)

  await page.keyboard.press('ControlOrMeta+P')
  await page.getByTestId('quickopen.input').fill('greet')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'lib/greet.js')

  await page.keyboard.press('ControlOrMeta+Shift+F')
  await page.getByTestId('search.input').fill('process.version')
  await page.getByTestId('search.hit').first().click()
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'index.js')
  await page.screenshot({ path: test.info().outputPath('search.png') })
})

test('Ctrl+C in the terminal stops a running server', async ({ page, agent }) => {
  await newProject(page, agent, 'node-script')
  await openShell(page)
  await terminalType(page, `node -e "require('http').createServer((q,s)=>s.end('up')).listen(0,()=>console.log('LISTENING'))"`)
  await expect(page.getByTestId('terminal.view')).toContainText('LISTENING', { timeout: 15_000 })
  await page.getByTestId('terminal.view').click()
  await page.keyboard.press('Control+C')
  await terminalType(page, 'echo STOPPED-$?')
  await expect(page.getByTestId('terminal.view')).toContainText('STOPPED-', { timeout: 10_000 })
})

test('at 375×812 the four panes switch from the bottom tab bar', async ({ page, agent }) => {
  await page.setViewportSize({ width: 375, height: 812 })
  await newProject(page, agent, 'node-server')
  for (const pane of ['files', 'code', 'terminal', 'preview'] as const) {
    await page.getByTestId(`mobile.${pane}`).click()
    await expect(page.locator(`.mobile-pane[data-pane="${pane}"]`)).toBeVisible()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, pane).toBeLessThanOrEqual(0)
    await page.screenshot({ path: test.info().outputPath(`mobile-${pane}.png`) })
  }
  // A project of this browser says so in a few words: the header row also holds its name and the run stepper.
  await expect(page.getByTestId('sync.status')).toHaveText('Local only')
  // Settings and the account stay one tap away over the workbench, on the top bar's single row.
  const bar = page.getByTestId('app.topbar')
  for (const id of ['app.runtime-settings', 'app.signin', 'app.signup']) await expect(page.getByTestId(id)).toBeInViewport()
  expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(48)
  await page.getByTestId('app.runtime-settings').click()
  await expect(page.getByRole('dialog')).toBeVisible()
})
