import type { Locator, Page } from '@playwright/test'
import { expect, newProject, test } from './fixtures.ts'

// Issue 16 item 6: types for what the person installs, as in VS Code: a package installed from a shell gets its
// types in the editor without a reload, and the React template's hover shows React's own declarations.

async function shell(page: Page, command: string) {
  await page.getByTestId('terminal.new').click()
  await expect(page.getByTestId('terminal.view')).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
  await page.getByTestId('terminal.view').click()
  await page.keyboard.type(command)
  await page.keyboard.press('Enter')
}

/// Puts the cursor at the start of `text` (Ctrl+F, Enter, Escape, ←) and asks for the hover there (Ctrl+K Ctrl+I)
/// until it shows `expected`. Each attempt first closes the hover: with a hover already visible, Ctrl+K Ctrl+I only
/// focuses it and does not ask the language service again, so an answer given before the types arrived would stay.
async function hoverUntil(page: Page, editor: Locator, text: string, expected: string) {
  await editor.locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+F')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.keyboard.press('ArrowLeft')
  const hover = editor.locator('.monaco-hover:not(.hidden)').first()
  await expect(async () => {
    await page.keyboard.press('Escape')
    await expect(hover).toBeHidden()
    await page.keyboard.press('ControlOrMeta+K')
    await page.keyboard.press('ControlOrMeta+I')
    await expect(hover).toContainText(expected, { timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await page.keyboard.press('Escape')
}

test('npm i nanoid in a shell: its import resolves and hover shows its signature, with no reload', async ({ page, agent, problems }) => {
  test.setTimeout(240_000)
  await newProject(page, agent, 'vite-vanilla-ts')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 180_000 })
  // The import is written first, as a person does before installing: the language service has already failed
  // to resolve it when the package's declarations arrive.
  await page.locator('[data-testid="tree.item"][data-path="src/main.ts"]').click()
  const editor = page.getByTestId('editor.monaco')
  await expect(editor).toHaveAttribute('data-path', 'src/main.ts')
  await editor.locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+Home')
  await page.keyboard.type("import { nanoid } from 'nanoid'\nexport const id = nanoid(8)\n")
  await expect(editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 30_000 })
  await shell(page, 'npm i nanoid@5 && echo INSTALLED-OK')
  await expect(page.getByTestId('terminal.view')).toContainText('INSTALLED-OK', { timeout: 120_000 })

  // Hover on the call: the package's own declaration, not an unresolved module (`import nanoid`).
  await hoverUntil(page, editor, 'nanoid(8', 'size?: number')
  // No "Cannot find module" squiggle left in the file.
  await expect(editor.locator('.squiggly-error')).toHaveCount(0, { timeout: 15_000 })
  await page.screenshot({ path: test.info().outputPath('nanoid-types.png') })
  expect(problems).toEqual([])
})

test('Vite + React template: hover on useState shows its signature from @types/react', async ({ page, agent, problems }) => {
  test.setTimeout(240_000)
  await newProject(page, agent, 'vite-react')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'ready', { timeout: 180_000 })
  await page.locator('[data-testid="tree.item"][data-path="src/App.jsx"]').click()
  const editor = page.getByTestId('editor.monaco')
  await expect(editor).toHaveAttribute('data-path', 'src/App.jsx')
  // Without @types/react (react ships no declarations) the hover is `(alias) module "react"` / `import useState`.
  await hoverUntil(page, editor, 'useState(0', 'useState<number>(initialState: number | (() => number))')
  await page.screenshot({ path: test.info().outputPath('react-types.png') })
  expect(problems).toEqual([])
})
