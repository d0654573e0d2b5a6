import { expect, newProject, test } from './fixtures.ts'

test('dashboard: rename a project in place (button and F2), with clear errors; Escape keeps the name', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'node-script')
  await page.goto(`/${agent.query}`)
  const row = page.getByTestId('dashboard.project').first()
  const name = row.getByTestId('dashboard.project-name')
  await expect(name).toHaveText('Node.js script')

  await row.getByTestId('dashboard.rename').click()
  const input = row.getByTestId('dashboard.rename-input')
  await expect(input).toBeFocused()
  await input.fill('Greeter')
  await page.keyboard.press('Enter')
  await expect(name).toHaveText('Greeter')
  // focus goes back to the project, so F2 renames it again
  await expect(row.locator('.project-link')).toBeFocused()
  await page.keyboard.press('F2')
  await input.fill('   ')
  await page.keyboard.press('Enter')
  await expect(row.getByTestId('dashboard.rename-error')).toHaveText('A project needs a name.')
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({ path: test.info().outputPath('rename-error.png') })
  await page.keyboard.press('Escape')
  await expect(name).toHaveText('Greeter')

  await page.reload()
  await expect(page.getByTestId('dashboard.project').first().getByTestId('dashboard.project-name')).toHaveText('Greeter')
  await page.getByTestId('dashboard.project').first().locator('.project-link').click()
  await expect(page.getByTestId('workbench.name')).toHaveText('Greeter')
  expect(problems).toEqual([])
})
