import type { Page } from '@playwright/test'
import { expect, newProject, test } from './fixtures.ts'

// Issue 16 item 6: a package installed from a shell gets its types in the editor without a reload, as in VS Code.

async function shell(page: Page, command: string) {
  await page.getByTestId('terminal.new').click()
  await expect(page.getByTestId('terminal.view')).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
  await page.getByTestId('terminal.view').click()
  await page.keyboard.type(command)
  await page.keyboard.press('Enter')
}

// FIXME (session 9): an import typed before its package's declarations reach Monaco stays unresolved (hover
// `import nanoid`). A plain TypeScript language service re-resolves once the files exist (Monaco's bundled TS in
// Node), so the cause is in how the worker gets or keeps the extra libs. Restarting the workers when a package
// appears (typescriptProject.ts) made this pass on e995cf7 (it failed without); since the Problems checker
// (projectDiagnostics.ts) also drives the worker it fails again, though the restart happens and nanoid's 3 files
// are added. Next step: log the worker's getScriptFileNames() after the restart, and which worker answers the hover.
test.fixme('npm i nanoid in a shell: its import resolves and hover shows its signature, with no reload', async ({ page, agent, problems }) => {
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
  await editor.locator('.view-lines').click()

  // Hover on the call (Ctrl+K Ctrl+I at the cursor): the package's own declaration, not an unresolved module.
  await page.keyboard.press('ControlOrMeta+F')
  await page.keyboard.type('nanoid(8')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Escape')
  await page.keyboard.press('ArrowLeft')
  await expect(async () => {
    await page.keyboard.press('ControlOrMeta+K')
    await page.keyboard.press('ControlOrMeta+I')
    await expect(editor.locator('.monaco-hover:not(.hidden)').first()).toContainText('size?: number', { timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await page.keyboard.press('Escape')
  // No "Cannot find module" squiggle left in the file.
  await expect(editor.locator('.squiggly-error')).toHaveCount(0, { timeout: 15_000 })
  await page.screenshot({ path: test.info().outputPath('nanoid-types.png') })
  expect(problems).toEqual([])
})
