import type { Page } from '@playwright/test'
import { axeViolations, expect, newProject, test } from './fixtures.ts'

// The command palette (F1, Ctrl+Shift+P), the one keydown layer's precedence (editor, tree, terminal), and the
// keyboard shortcuts reference in Settings (issue 19 §2).

const palette = (page: Page) => page.getByTestId('palette')
const rows = (page: Page) => page.getByTestId('palette.item')
const focusIn = (page: Page, selector: string) => page.evaluate((s) => !!document.activeElement?.closest(s), selector)
const sidebar = (page: Page) => page.locator('aside.sidebar')

async function shell(page: Page) {
  await expect(page.getByTestId('runtime.booting')).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId('terminal.new').click()
  await expect(page.locator('[data-testid="terminal.tab"][data-active="true"]')).not.toContainText('npm')
  await expect(page.locator('[data-testid="terminal.view"]:visible')).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
}

/// Opens the palette with `key`, checks it has focus, closes it with Escape and checks focus went back into `where`.
async function openAndEscape(page: Page, key: string, where: string) {
  await page.keyboard.press(key)
  await expect(page.getByTestId('palette.input')).toBeFocused({ timeout: 10_000 })
  await expect(rows(page).first()).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(palette(page)).toHaveCount(0)
  expect(await focusIn(page, where), `focus back in ${where} after ${key}`).toBe(true)
}

test('F1 and Ctrl+Shift+P open the palette from the editor, the tree and a terminal; commands run; recently used first, kept across a reload', async ({ page, agent, problems }) => {
  test.setTimeout(120_000)
  await newProject(page, agent, 'node-script')
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  const editor = page.getByTestId('editor.monaco')
  await expect(editor).toHaveAttribute('data-path', 'index.js', { timeout: 30_000 })

  // From the editor (Monaco has focus and would take F1 for its own palette).
  await editor.locator('.view-lines').click()
  await openAndEscape(page, 'F1', '[data-testid="editor.monaco"]')
  await openAndEscape(page, 'Control+Shift+P', '[data-testid="editor.monaco"]')

  // Every workbench command with its shortcut, and the code editor's own actions with Monaco's.
  await page.keyboard.press('F1')
  const quickOpen = page.locator('[data-testid="palette.item"][data-command="workbench.action.quickOpen"]')
  await expect(quickOpen).toContainText('Go to File…')
  await expect(quickOpen.locator('.keys')).toHaveAccessibleName('Ctrl+P')
  await expect(page.locator('[data-testid="palette.item"][data-command="workbench.action.terminal.toggleTerminal"] .keys')).toHaveAccessibleName('Ctrl+`')
  await expect(page.locator('[data-testid="palette.item"][data-command="editor.action.formatDocument"]')).toContainText('Format Document')
  await expect(page.locator('[data-testid="palette.item"][data-command="actions.find"]')).toContainText(/Find.*Ctrl\+F/)
  // Listbox semantics: the input controls the list and names the selected row.
  const input = page.getByTestId('palette.input')
  await expect(input).toHaveAttribute('role', 'combobox')
  await expect(page.getByRole('listbox', { name: 'Commands' })).toBeVisible()
  await input.fill('zzqqxx')
  await expect(page.getByTestId('palette.empty')).toHaveText('No matching commands')
  await page.keyboard.press('Escape')

  // Run one: fuzzy "tgsidebar" finds Toggle Primary Side Bar Visibility; Enter runs it with focus back in the editor.
  await expect(sidebar(page)).toBeVisible()
  await page.keyboard.press('F1')
  await input.fill('tog side bar')
  await expect(rows(page).first()).toHaveAttribute('data-command', 'workbench.action.toggleSidebarVisibility')
  await page.keyboard.press('Enter')
  await expect(sidebar(page)).toHaveCount(0)
  expect(await focusIn(page, '[data-testid="editor.monaco"]')).toBe(true)

  // A second: Go to File… from the palette hands over to quick open.
  await page.keyboard.press('Control+Shift+P')
  await input.fill('go to file')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('quickopen.input')).toBeFocused()
  await page.keyboard.press('Escape')

  // Recently used first, newest first; arrows move the selection; Enter on the second runs the sidebar toggle again.
  await page.keyboard.press('F1')
  await expect(rows(page).nth(0)).toHaveAttribute('data-command', 'workbench.action.quickOpen')
  await expect(rows(page).nth(0)).toHaveAttribute('data-recent', 'true')
  await expect(rows(page).nth(0)).toContainText('recently used')
  await expect(rows(page).nth(1)).toHaveAttribute('data-command', 'workbench.action.toggleSidebarVisibility')
  await expect(rows(page).nth(2)).not.toHaveAttribute('data-recent', 'true')
  await expect(rows(page).nth(2)).toContainText('other commands')
  await page.keyboard.press('ArrowDown')
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true')
  await expect(input).toHaveAttribute('aria-activedescendant', (await rows(page).nth(1).getAttribute('id'))!)
  await page.keyboard.press('Enter')
  await expect(sidebar(page)).toBeVisible()

  // From the file tree.
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').focus()
  await openAndEscape(page, 'F1', '[role="tree"]')
  await openAndEscape(page, 'Control+Shift+P', '[role="tree"]')

  // From a terminal: the palette opens (xterm does not get F1), Escape gives the terminal its focus back, and the
  // terminal's own keys still reach it: Ctrl+C interrupts what runs there.
  await shell(page)
  const terminal = page.locator('[data-testid="terminal.view"]:visible')
  await terminal.click()
  await openAndEscape(page, 'F1', '[data-testid="terminal.panel"] .xterm')
  await openAndEscape(page, 'Control+Shift+P', '[data-testid="terminal.panel"] .xterm')
  await page.keyboard.type('sleep 30; echo slept')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Control+C')
  await expect(terminal).toContainText('^C')
  await expect(terminal).not.toContainText(/^slept/m)

  // The order is kept in this browser: after a reload the recently used still come first.
  await page.reload()
  await expect(page.getByTestId('workbench')).toBeVisible({ timeout: 15_000 })
  await page.keyboard.press('F1')
  await expect(rows(page).nth(0)).toHaveAttribute('data-command', 'workbench.action.toggleSidebarVisibility')
  await expect(rows(page).nth(1)).toHaveAttribute('data-command', 'workbench.action.quickOpen')
  await page.keyboard.press('Escape')
  expect(problems).toEqual([])
})

test('the shortcuts reference in Settings lists the registry: Ctrl+K Ctrl+S opens it at its search; the palette and the reference pass axe, desktop and phone', async ({ page, agent, problems }) => {
  test.setTimeout(120_000)
  await newProject(page, agent, 'node-script')
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await expect(page.getByTestId('editor.monaco')).toHaveAttribute('data-path', 'index.js', { timeout: 30_000 })

  // A chord, from the tree: the first stroke waits (and says so), the second opens Settings at the shortcuts.
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').focus()
  await page.keyboard.press('Control+K')
  await expect(page.getByTestId('commands.chord')).toContainText('(Ctrl+K) was pressed')
  await page.keyboard.press('Control+S')
  const settings = page.getByTestId('settings.runtime')
  const search = settings.getByTestId('shortcuts.search')
  await expect(search).toBeFocused()
  const section = settings.getByTestId('settings.shortcuts')
  const count = Number((await section.getByTestId('shortcuts.count').textContent())!.match(/\d+/)![0])
  expect(count).toBeGreaterThan(20)

  // A known shortcut, found by its keys and by its name; the row says where it applies.
  await search.fill('ctrl+shift+p')
  const palette = section.locator('[data-testid="shortcuts.row"][data-command="workbench.action.showCommands"]')
  await expect(palette).toHaveCount(1)
  await expect(palette).toContainText('Show All Commands')
  await expect(palette).toContainText('!dialogOpen')
  await search.fill('go to line')
  const goToLine = section.locator('[data-testid="shortcuts.row"][data-command="workbench.action.gotoLine"]')
  await expect(goToLine).toHaveAttribute('data-keys', 'Ctrl+G')
  await expect(section.getByTestId('shortcuts.count')).toHaveText(`1 of ${count} shortcuts`)
  // Enter in the search does not submit (and close) Settings.
  await page.keyboard.press('Enter')
  await expect(settings).toBeVisible()
  await search.fill('')
  await page.screenshot({ path: test.info().outputPath('shortcuts-desktop.png') })
  expect(await axeViolations(page), 'Settings with the shortcuts').toEqual([])
  // F1 is the dialog's to ignore: no palette over a modal.
  await page.keyboard.press('F1')
  await expect(page.getByTestId('palette')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(settings).toHaveCount(0)

  await page.keyboard.press('F1')
  await expect(page.getByTestId('palette.input')).toBeFocused()
  await page.getByTestId('palette.input').fill('term')
  await page.screenshot({ path: test.info().outputPath('palette-desktop.png') })
  expect(await axeViolations(page), 'palette').toEqual([])
  await page.keyboard.press('Escape')

  // A phone: the palette fits the width; the reference stacks each shortcut.
  await page.setViewportSize({ width: 375, height: 740 })
  await page.keyboard.press('F1')
  const frame = page.locator('.quickopen[aria-label="Command palette"]')
  await expect(frame).toBeVisible()
  const box = (await frame.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(375)
  await page.screenshot({ path: test.info().outputPath('palette-phone.png') })
  expect(await axeViolations(page), 'palette, phone').toEqual([])
  await page.getByTestId('palette.input').fill('keyboard shortcuts')
  await page.keyboard.press('Enter')
  await expect(search).toBeFocused()
  await page.screenshot({ path: test.info().outputPath('shortcuts-phone.png') })
  expect(await axeViolations(page), 'Settings with the shortcuts, phone').toEqual([])
  expect(problems).toEqual([])
})
