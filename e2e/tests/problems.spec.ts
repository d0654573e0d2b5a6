import type { Page } from '@playwright/test'
import { expect, newProject, replaceInEditor, test } from './fixtures.ts'

// The Problems panel, the status bar and the terminal's focus, names and phone keys (issue 16 item 7).

const editor = (page: Page) => page.getByTestId('editor.monaco')
const activeTerminal = (page: Page) => page.locator('[data-testid="terminal.view"]:visible')
const focusIn = (page: Page, selector: string) => page.evaluate((s) => !!document.activeElement?.closest(s), selector)

/// The shell the workbench opens by itself, in front (the run's tabs may have come in front of it).
async function shellReady(page: Page) {
  await expect(page.getByTestId('runtime.booting')).toHaveCount(0, { timeout: 30_000 })
  await page.getByRole('tab', { name: 'sh', exact: true }).click({ timeout: 15_000 })
  await expect(activeTerminal(page)).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
}

/// Types a command into the active terminal (focused first) and runs it.
async function run(page: Page, command: string) {
  await activeTerminal(page).click()
  await page.keyboard.type(command)
  await page.keyboard.press('Enter')
}

test('a type error in a file that is not open shows in Problems and the status bar, opens at its line, and clears when fixed', async ({ page, agent, problems }) => {
  // The template's install and dev server start with it, and share the machine with the checks.
  test.setTimeout(120_000)
  await newProject(page, agent, 'vite-vanilla-ts')
  await expect(editor(page)).toHaveAttribute('data-path', 'src/main.ts', { timeout: 30_000 })
  const errors = page.getByTestId('status.errors')
  await expect(page.getByTestId('status.problems')).toHaveAttribute('data-errors', '0', { timeout: 30_000 })
  await expect(page.getByTestId('status.cursor')).toHaveText(/^Ln \d+, Col \d+$/)
  await expect(page.getByTestId('status.language')).toHaveText('TypeScript')

  // A program (here a shell) writes a type error into counter.ts, which no tab shows.
  await shellReady(page)
  await run(page, `printf '\\nexport const broken: number = "text"\\n' >> src/counter.ts`)
  await expect(errors).toHaveText('1', { timeout: 45_000 })
  await expect(page.locator('[data-testid="editor.tab"][data-path="src/counter.ts"]')).toHaveCount(0)

  // The status bar's count opens Problems with the list focused.
  await page.getByTestId('status.problems').click()
  const panel = page.getByTestId('problems.panel')
  await expect(panel).toBeVisible()
  const file = panel.locator('[data-testid="problems.file"][data-path="src/counter.ts"]')
  await expect(file).toHaveAccessibleName('counter.ts src 1 problem')
  const item = panel.getByTestId('problems.item')
  await expect(item).toHaveCount(1)
  await expect(item).toContainText(`Type 'string' is not assignable to type 'number'.`)
  await expect(item).toContainText('ts(2322)')
  await expect(item).toContainText('11:14')
  await expect(item).toHaveAccessibleName(/^Error: Type 'string' is not assignable/)
  expect(await focusIn(page, '[data-testid="problems.tree"]')).toBe(true)
  await page.screenshot({ path: test.info().outputPath('problems.png') })

  // The filter narrows the list; Enter on a problem opens its file at the place.
  await page.getByTestId('problems.filter').fill('nothing like this')
  await expect(panel.getByTestId('problems.empty')).toContainText('No problems match the filter.')
  await page.getByTestId('problems.filter').fill('ts2322')
  // The list is drawn again before the keys (on a loaded machine the first ArrowDown could land on the empty list).
  await expect(item).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(item).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('problems.filter')).toBeFocused()
  // A held key repeats faster than frames are drawn: two keydowns in one task still move down two rows.
  await page.evaluate(() => {
    for (let i = 0; i < 2; i++) document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }))
  })
  await expect(item).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'src/counter.ts')
  await expect(page.getByTestId('status.cursor')).toHaveText('Ln 11, Col 14')
  expect(await focusIn(page, '[data-testid="editor.monaco"]')).toBe(true)

  // Fixing it in the editor clears the count and the panel.
  await replaceInEditor(page, '"text"', '42')
  await expect(errors).toHaveText('0', { timeout: 20_000 })
  await page.keyboard.press('Control+Shift+M')
  await page.getByTestId('problems.filter').fill('')
  await expect(panel.getByTestId('problems.empty')).toHaveText('No problems have been detected in the workspace.')
  expect(problems).toEqual([])
})

test('Ctrl+` focuses the terminal and goes back to the editor; shells are named sh, sh 2', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await expect(editor(page)).toHaveAttribute('data-path', /\S/, { timeout: 30_000 })
  await shellReady(page)
  await editor(page).locator('.view-lines').click()

  await page.keyboard.press('Control+Backquote')
  await expect.poll(() => focusIn(page, '.xterm')).toBe(true)
  await page.keyboard.type('echo FOCUSED-$((40+2))')
  await page.keyboard.press('Enter')
  await expect(activeTerminal(page)).toContainText('FOCUSED-42')

  // From the terminal, Ctrl+` goes back to the editor (the panel hides, as VS Code's Toggle Terminal).
  await page.keyboard.press('Control+Backquote')
  await expect(page.getByTestId('terminal.panel')).toBeHidden()
  await expect.poll(() => focusIn(page, '[data-testid="editor.monaco"]')).toBe(true)
  await page.keyboard.press('Control+Backquote')
  await expect.poll(() => focusIn(page, '.xterm')).toBe(true)
  await expect(activeTerminal(page)).toContainText('FOCUSED-42')

  await page.getByTestId('terminal.new').click()
  await expect(page.locator('[data-testid="terminal.tab"][data-active="true"]')).toHaveText(/^sh 2$/)
  await expect(page.getByRole('tab', { name: 'sh', exact: true })).toHaveCount(1)
  expect(problems).toEqual([])
})

test('on a phone the extra-keys row sends Ctrl+C to a running command, and the terminal keeps focus', async ({ page, agent, problems }) => {
  await page.setViewportSize({ width: 375, height: 812 })
  await newProject(page, agent, 'node-script')
  await page.getByTestId('mobile.terminal').click()
  await shellReady(page)
  const keys = page.getByTestId('terminal.extra-keys')
  await expect(keys).toBeVisible()
  await run(page, 'sleep 100')
  await page.getByTestId('terminal.key-ctrl').click()
  await expect(page.getByTestId('terminal.key-ctrl')).toHaveAttribute('aria-pressed', 'true')
  expect(await focusIn(page, '.xterm')).toBe(true)
  await page.keyboard.type('c')
  await expect(page.getByTestId('terminal.key-ctrl')).toHaveAttribute('aria-pressed', 'false')
  await page.keyboard.type('echo INTERRUPTED-$?')
  await page.keyboard.press('Enter')
  await expect(activeTerminal(page)).toContainText('INTERRUPTED-130', { timeout: 10_000 })

  // Tab reaches the shell as a tab character.
  await page.keyboard.type(`printf 'A`)
  await page.getByTestId('terminal.key-tab').click()
  await page.keyboard.type(`B' | od -c`)
  await page.keyboard.press('Enter')
  await expect(activeTerminal(page)).toContainText(/A\s+\\t\s+B/)
  await page.screenshot({ path: test.info().outputPath('extra-keys-phone.png') })
  expect(problems).toEqual([])
})
