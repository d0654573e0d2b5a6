import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, newProject, test } from './fixtures.ts'

// Replace across files (issue 16 item 7): a search with a regex replacement, narrowed by include/exclude globs,
// Replace All confirmed; the files change in the editor and on the runtime's disk, an excluded one does not, and
// Ctrl+Z in the open editor undoes the replace there.

async function openShell(page: Page) {
  await expect(page.getByTestId('runtime.booting')).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId('terminal.new').click()
  await expect(page.locator('[data-testid="terminal.tab"][data-active="true"]')).not.toContainText('npm')
  await expect(page.getByTestId('terminal.view')).toContainText(/[$#][\s\u00a0]*$/, { timeout: 15_000 })
}

async function shell(page: Page, command: string) {
  await page.getByTestId('terminal.view').click()
  await page.keyboard.type(command)
  await page.keyboard.press('Enter')
}

async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="search.panel"]').analyze()
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('replace across files: regex with $1, include and exclude globs, Replace All confirmed, on disk, undone by Ctrl+Z', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await openShell(page)
  // Two more files with the word: one the include glob takes, one the exclude glob leaves out.
  await shell(page, `printf "export const runtime = 'Node'\\n" > lib/extra.js && printf "// Node test\\n" > lib/extra.test.js && echo MADE`)
  await expect(page.getByTestId('terminal.view')).toContainText('MADE')

  await page.getByTestId('editor.monaco').locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+Shift+H')
  const query = page.getByTestId('search.input')
  const replace = page.getByTestId('search.replace')
  await expect(page.getByTestId('search.toggle-replace')).toHaveAttribute('aria-expanded', 'true')
  await query.fill('(N)ode')
  await query.press('Alt+R')
  await query.press('Alt+C')
  await replace.fill('$1ODE')

  // Every file with the word: index.js, lib/extra.js, lib/extra.test.js, README.md ("Node.js script").
  const groups = page.getByTestId('search.group')
  await expect(groups).toHaveCount(4, { timeout: 15_000 })
  await page.keyboard.press('ControlOrMeta+Shift+J')
  await page.getByTestId('search.include').fill('*.js')
  await page.getByTestId('search.exclude').fill('**/*.test.js')
  await expect(groups).toHaveCount(2)
  // In the tree's order: folders first.
  await expect(groups.nth(0)).toHaveAttribute('data-path', 'lib/extra.js')
  await expect(groups.nth(1)).toHaveAttribute('data-path', 'index.js')
  await expect(page.getByTestId('search.summary')).toHaveText('2 results in 2 files')
  // The Files tab and back: the view kept its query, replacement, globs and toggles (the project's session holds them).
  await page.getByTestId('side.files').click()
  await expect(page.getByTestId('search.panel')).toHaveCount(0)
  await page.getByTestId('side.search').click()
  await expect(query).toHaveValue('(N)ode')
  await expect(replace).toHaveValue('$1ODE')
  await expect(page.getByTestId('search.include')).toHaveValue('*.js')
  await expect(page.getByTestId('search.exclude')).toHaveValue('**/*.test.js')
  await expect(page.getByTestId('search.summary')).toHaveText('2 results in 2 files')
  // The preview: the match struck through, what it becomes highlighted.
  const first = page.getByTestId('search.hit').first()
  await expect(first.locator('del')).toHaveText('Node')
  await expect(first.locator('ins')).toHaveText('NODE')
  await page.screenshot({ path: test.info().outputPath('replace-preview.png') })

  // Keyboard: into the results, down to a match, Enter opens it at its line.
  await query.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="editor.tab"][aria-selected="true"]')).toHaveAttribute('data-path', 'lib/extra.js')

  // Replace All from the keyboard asks first, with the counts and the replacement.
  await replace.click()
  await page.keyboard.press('ControlOrMeta+Alt+Enter')
  const dialog = page.getByTestId('dialog')
  await expect(dialog.getByRole('heading')).toHaveText("Replace 2 occurrences across 2 files with '$1ODE'?")
  await page.screenshot({ path: test.info().outputPath('replace-confirm.png') })
  await page.getByTestId('dialog.confirm').click()
  await expect(page.getByTestId('search.report')).toHaveText('Replaced 2 occurrences in 2 files.')
  await expect(page.getByTestId('search.summary')).toHaveText('No results in the files included and not excluded')

  // The open editor shows it; the runtime's disk has it; the excluded file and README.md are as they were.
  const lines = page.getByTestId('editor.monaco').locator('.view-lines')
  await expect(lines).toContainText("runtime = 'NODE'")
  await shell(page, `timeout 10 sh -c 'until grep -q NODE index.js; do sleep 0.2; done'; echo "DISK[$(cat lib/extra.js)|$(cat lib/extra.test.js)|$(head -1 README.md)]"`)
  await expect(page.getByTestId('terminal.view')).toContainText("DISK[export const runtime = 'NODE'|// Node test|# Node.js script]", { timeout: 15_000 })

  // Ctrl+Z in the editor undoes the replace in that file (only there).
  await lines.click()
  await page.keyboard.press('ControlOrMeta+Z')
  await expect(lines).toContainText("runtime = 'Node'")
  await expect(lines).not.toContainText('NODE')
  expect(problems).toEqual([])
})

test('the search view with replace and globs passes axe, light and dark, desktop and phone', async ({ page, agent, problems }) => {
  // Six axe runs: on a loaded 2-core machine they alone can take most of the default minute.
  test.setTimeout(150_000)
  await newProject(page, agent, 'node-script')
  for (const [name, size] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 375, height: 812 }],
  ] as const) {
    await page.setViewportSize(size)
    if (name === 'phone') await page.getByTestId('mobile.files').click()
    if (!(await page.getByTestId('search.panel').isVisible())) await page.keyboard.press('ControlOrMeta+Shift+H')
    await expect(page.getByTestId('search.replace')).toBeVisible()
    await page.getByTestId('search.input').fill('greet')
    await page.getByTestId('search.replace').fill('welcome')
    if ((await page.getByTestId('search.toggle-details').getAttribute('aria-expanded')) !== 'true') await page.getByTestId('search.toggle-details').click()
    await page.getByTestId('search.exclude').fill('README.md')
    await expect(page.getByTestId('search.group')).toHaveCount(2)
    if (name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
    }
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.getByTestId('search.hit').first().hover()
      await page.screenshot({ path: test.info().outputPath(`search-${name}-${scheme}.png`) })
      expect(await axeViolations(page), `${name} ${scheme}`).toEqual([])
    }
    // An invalid regex says why, inline.
    await page.getByTestId('search.regex').click()
    await page.getByTestId('search.input').fill('greet(')
    await expect(page.getByTestId('search.error')).toContainText('Invalid regular expression')
    expect(await axeViolations(page), `${name} error`).toEqual([])
    await page.getByTestId('search.regex').click()
    await page.emulateMedia({ colorScheme: 'light' })
  }
  expect(problems).toEqual([])
})
