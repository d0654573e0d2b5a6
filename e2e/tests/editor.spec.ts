import type { Page } from '@playwright/test'
import { expect, newProject, test } from './fixtures.ts'

// The code editor as a person uses it, on the production build: Monaco is bundled from a hand-picked list of
// contributions (web/src/ui/editor/monacoContributions.ts), so this checks the ones people reach for still work.

const activeTab = (page: Page) => page.locator('[data-testid="editor.tab"][aria-selected="true"]')

/// Puts the cursor before the next occurrence of `text` with the find widget (Monaco joins neighbouring tokens of one
/// colour into one element, so words are not clickable elements of their own).
async function cursorBefore(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+F')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.keyboard.press('ArrowLeft')
}

test('editor: completion, hover, comments, format, rename, find, context menu, go to definition', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  const editor = page.getByTestId('editor.monaco')
  await expect(editor).toHaveAttribute('data-path', 'index.js')
  const lines = editor.locator('.view-lines')

  // Completion from the JavaScript language service.
  await lines.click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.type('\nconst point = { x: 1, y: 2 }\npoint.')
  const suggest = editor.locator('.suggest-widget.visible')
  await expect(suggest).toBeVisible({ timeout: 20_000 })
  await expect(suggest.locator('.monaco-list-row', { hasText: /^y/ })).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('completion.png') })
  await page.keyboard.press('Escape')
  await page.keyboard.type('y')
  // Typing 'y' may open the suggestions again (later on a loaded machine); the Enter below must start a new line,
  // not accept one ("point.yconst messy" then half formats, and the comment lands a line up).
  await expect(suggest).toBeVisible({ timeout: 2_000 }).catch(() => {})
  await page.keyboard.press('Escape')
  await expect(suggest).toHaveCount(0)

  // Format document (Shift+Alt+F) through the TypeScript formatter.
  await page.keyboard.type('\nconst   messy={a:1}')
  await page.keyboard.press('Shift+Alt+F')
  await expect(lines).toContainText('const messy = { a: 1 }')

  // Toggle line comment.
  await page.keyboard.press('ControlOrMeta+/')
  await expect(lines).toContainText('// const messy = { a: 1 }')

  // Find widget (its other uses are in cursorBefore).
  await page.keyboard.press('ControlOrMeta+F')
  await expect(editor.locator('.find-widget.visible')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(editor.locator('.find-widget.visible')).toHaveCount(0)

  // Rename symbol (F2) on `point`.
  await cursorBefore(page, 'point.y')
  await page.keyboard.press('F2')
  const renameInput = editor.locator('.rename-box input, .rename-box textarea').first()
  await expect(renameInput).toBeVisible()
  await renameInput.fill('where')
  await page.keyboard.press('Enter')
  await expect(lines).toContainText('where.y')
  await expect(lines).not.toContainText('point')

  // Hover (Ctrl+K Ctrl+I at the cursor) shows the signature from the other file.
  await cursorBefore(page, "greet('")
  await page.keyboard.press('ControlOrMeta+K')
  await page.keyboard.press('ControlOrMeta+I')
  await expect(editor.locator('.monaco-hover:not(.hidden)').first()).toContainText('greet(name', { timeout: 15_000 })
  await page.keyboard.press('Escape')

  // Context menu.
  await lines.click({ button: 'right' })
  await expect(page.locator('.monaco-menu .action-label', { hasText: 'Go to Definition' })).toBeVisible()
  await page.keyboard.press('Escape')

  // Go to definition in another project file opens it as a tab at the definition.
  await cursorBefore(page, "greet('")
  await page.keyboard.press('F12')
  await expect(activeTab(page)).toHaveAttribute('data-path', 'lib/greet.js')
  await expect(editor).toHaveAttribute('data-path', 'lib/greet.js')
  await page.screenshot({ path: test.info().outputPath('definition.png') })
  expect(problems).toEqual([])
})

test('the JSON, CSS and HTML language services answer, each in its worker', async ({ page, agent, problems }) => {
  // All of Monaco's workers start from one entry (web/src/ui/editor/monaco.worker.ts) that loads the service its
  // name asks for; the TypeScript one is checked above.
  await newProject(page, agent, 'node-script')
  const editor = page.getByTestId('editor.monaco')
  await expect(editor.locator('.view-lines')).toContainText("greet('Slipway')")
  const create = async (path: string, text: string) => {
    await page.getByTestId('tree.new-file').click()
    await page.getByTestId('tree.input').fill(path)
    await page.keyboard.press('Enter')
    await expect(editor).toHaveAttribute('data-path', path)
    await editor.locator('.view-lines').click()
    // insertText: no auto-closed brackets or quotes.
    await page.keyboard.insertText(text)
  }

  // JSON: a missing comma is an error.
  await create('settings.json', '{ "a": 1 "b": 2 }')
  await expect(editor.locator('.squiggly-error')).toBeVisible({ timeout: 20_000 })

  // CSS: an unknown property is a warning.
  await create('style.css', 'a { colr: red; }')
  await expect(editor.locator('.squiggly-warning')).toBeVisible({ timeout: 20_000 })

  // HTML: tag completion.
  await create('page.html', '<body>\n<butt')
  await page.keyboard.press('Control+Space')
  const suggest = editor.locator('.suggest-widget.visible')
  await expect(suggest.locator('.monaco-list-row', { hasText: /^button/ }).first()).toBeVisible({ timeout: 20_000 })
  await page.keyboard.press('Escape')
  expect(problems).toEqual([])
})

test('naming a new file while the editor loads: the editor does not take the focus, and no key lands in the code', async ({ page, agent, problems }) => {
  // Monaco's chunk is held back until the name is half typed.
  let release!: () => void
  const released = new Promise<void>((r) => (release = r))
  await page.route(/\/assets\/editor\.api-[^/]*\.js$/, async (route) => {
    await released
    await route.continue()
  })
  await newProject(page, agent, 'node-script')
  await page.getByTestId('tree.new-file').click()
  const input = page.getByTestId('tree.input')
  await expect(input).toBeFocused()
  await page.keyboard.type('no')
  release()
  const editor = page.getByTestId('editor.monaco')
  await expect(editor.locator('.view-lines')).toContainText("greet('Slipway')", { timeout: 30_000 })
  await page.keyboard.type('tes.md')
  await expect(input).toHaveValue('notes.md')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="tree.item"][data-path="notes.md"]')).toBeVisible()
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(editor).toHaveAttribute('data-path', 'index.js')
  await expect(editor.locator('.view-lines')).not.toContainText('tes.md')
  expect(problems).toEqual([])
})

