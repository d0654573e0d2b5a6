import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, newProject, test } from './fixtures.ts'

// Moving around a file as a VS Code user does: Ctrl+G and `:line` go to a line, `@` to a symbol (issue 16 item 7).

const activeTab = (page: Page) => page.locator('[data-testid="editor.tab"][aria-selected="true"]')
const editor = (page: Page) => page.getByTestId('editor.monaco')
/// The line the cursor is on, as the editor's gutter shows it.
const cursorLine = (page: Page) => editor(page).locator('.line-numbers.active-line-number')
const editorHasFocus = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[data-testid="editor.monaco"]'))

/// Where `locator` sits in the editor's height: 0 at the top, 1 at the bottom.
async function heightFraction(page: Page, line: ReturnType<typeof cursorLine>) {
  const box = (await line.boundingBox())!
  const host = (await editor(page).boundingBox())!
  return (box.y + box.height / 2 - host.y) / host.height
}

/// index.js with 150 more lines, then lib/greet.js opened and index.js made active again, so "the previous file" and
/// "the active file" differ.
async function longFileWithTwoTabs(page: Page) {
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(editor(page)).toHaveAttribute('data-path', 'index.js')
  await editor(page).locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText(Array.from({ length: 150 }, (_, i) => `\n// filler ${i + 1}`).join(''))
  await page.keyboard.press('ControlOrMeta+P')
  await page.getByTestId('quickopen.input').pressSequentially('greet')
  await page.keyboard.press('Enter')
  await expect(editor(page)).toHaveAttribute('data-path', 'lib/greet.js')
  await page.locator('[data-testid="editor.tab"][data-path="index.js"]').click()
  await expect(editor(page)).toHaveAttribute('data-path', 'index.js')
}

test('go to line: Ctrl+G from anywhere, Escape returns, and :line:column in quick open', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await longFileWithTwoTabs(page)

  // From the file tree: Ctrl+G is the editor's, not the browser's find-next.
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').focus()
  await page.keyboard.press('Control+G')
  const prompt = editor(page).locator('.quick-input-widget')
  await expect(prompt).toBeVisible()
  await expect(prompt.locator('input')).toBeFocused()
  await page.keyboard.type('120')
  await page.screenshot({ path: test.info().outputPath('go-to-line.png') })
  await page.keyboard.press('Enter')
  await expect(prompt).toBeHidden()
  await expect(cursorLine(page)).toHaveText('120')
  const at = await heightFraction(page, cursorLine(page))
  expect(at).toBeGreaterThan(0.3)
  expect(at).toBeLessThan(0.7)
  expect(await editorHasFocus(page)).toBe(true)

  // Escape leaves the cursor where it was and the focus in the editor.
  await page.keyboard.press('Control+G')
  await expect(prompt).toBeVisible()
  await page.keyboard.type('3')
  await page.keyboard.press('Escape')
  await expect(prompt).toBeHidden()
  await expect(cursorLine(page)).toHaveText('120')
  expect(await editorHasFocus(page)).toBe(true)

  // In quick open, `:line:column` goes there in the active file, not in the file opened before it.
  await page.keyboard.press('ControlOrMeta+P')
  const input = page.getByTestId('quickopen.input')
  await expect(input).toBeFocused()
  await input.pressSequentially(':')
  await expect(page.getByTestId('quickopen.hint')).toContainText(/between 1 and \d+ to go to it in index\.js/)
  await input.pressSequentially('40:4')
  await expect(page.getByTestId('quickopen.line')).toContainText('Go to line 40, column 4')
  await page.screenshot({ path: test.info().outputPath('quick-open-line.png') })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('quickopen')).toBeHidden()
  await expect(activeTab(page)).toHaveAttribute('data-path', 'index.js')
  await expect(cursorLine(page)).toHaveText('40')
  expect(await editorHasFocus(page)).toBe(true)
  // Column 4 is just after "// ".
  await page.keyboard.type('X')
  await expect(editor(page).locator('.view-lines')).toContainText('// Xfiller')
  expect(problems).toEqual([])
})

test("@symbol in quick open lists the active file's symbols, filters them fuzzily, and Enter goes there", async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await longFileWithTwoTabs(page)
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText('\nfunction formatReport(rows) {\n  return rows\n}\nclass Inventory {\n  countItems() {\n    return 0\n  }\n}\n')

  await page.keyboard.press('ControlOrMeta+P')
  const input = page.getByTestId('quickopen.input')
  await input.pressSequentially('@')
  const symbols = page.getByTestId('quickopen.symbol')
  // The JavaScript service's outline of index.js, not of greet.js (opened before it).
  await expect(symbols.filter({ hasText: 'formatReport' })).toHaveCount(1, { timeout: 20_000 })
  // All of them in document order (index.js declares `greet` by requiring it).
  await expect(symbols.locator('.quickopen-name')).toHaveText(['greet', 'formatReport', 'Inventory', 'countItems'])
  await expect(page.locator('[data-testid="quickopen.symbol"][data-name="countItems"]')).toContainText('method in Inventory')
  // The kind and container read on the selected row too (its tinted background took them under 4.5:1).
  const axe = await new AxeBuilder({ page }).include('[data-testid="quickopen"]').withRules(['color-contrast']).analyze()
  expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([])

  await input.pressSequentially('cit')
  await expect(symbols.first()).toHaveAttribute('data-name', 'countItems')
  await expect(symbols.first()).toHaveAttribute('aria-selected', 'true')
  await expect(symbols.first().locator('mark')).toHaveText(['c', 'It'])
  await page.screenshot({ path: test.info().outputPath('quick-open-symbol.png') })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('quickopen')).toBeHidden()
  await expect(activeTab(page)).toHaveAttribute('data-path', 'index.js')
  expect(await editorHasFocus(page)).toBe(true)
  // The cursor is at the start of the name.
  await page.keyboard.type('Z')
  await expect(editor(page).locator('.view-lines')).toContainText('ZcountItems()')

  // Nothing matches: the list says so.
  await page.keyboard.press('ControlOrMeta+P')
  await input.pressSequentially('@qqq')
  await expect(page.getByTestId('quickopen.hint')).toHaveText('No matching symbols')
  await page.keyboard.press('Escape')
  expect(problems).toEqual([])
})

test('after opening a project, from the dashboard or by its URL, the keyboard is in the active file', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await expect(editor(page)).toHaveAttribute('data-path', 'index.js')
  await expect.poll(() => editorHasFocus(page)).toBe(true)
  await page.keyboard.type('// typed at once')
  await expect(editor(page).locator('.view-lines')).toContainText('// typed at once')

  await page.reload()
  await expect(editor(page)).toHaveAttribute('data-path', 'index.js')
  await expect.poll(() => editorHasFocus(page)).toBe(true)
  await page.keyboard.type('// and again')
  await expect(editor(page).locator('.view-lines')).toContainText('// and again')
  expect(problems).toEqual([])
})

test('on a phone, Ctrl+G or Ln/Col from the Files pane does nothing rather than throw (the editor is not on screen)', async ({ page, agent, problems }) => {
  await page.setViewportSize({ width: 375, height: 812 })
  await newProject(page, agent, 'node-script')
  await expect(editor(page)).toHaveAttribute('data-path', /\S/, { timeout: 30_000 })
  await page.getByTestId('mobile.files').click()
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').focus()
  await page.keyboard.press('Control+G')
  await page.getByTestId('status.cursor').click()
  // Back in the editor, Ctrl+G still opens the go-to-line input.
  await page.getByTestId('mobile.code').click()
  await editor(page).locator('.view-lines').click()
  await page.keyboard.press('Control+G')
  await expect(editor(page).locator('.quick-input-widget input')).toBeFocused()
  expect(problems).toEqual([])
})
