import { expect, newProject, previewFrame, test } from './fixtures.ts'

test('Restart replaces the run’s terminal tabs instead of adding more', async ({ page, agent, problems }) => {
  await newProject(page, agent, 'vite-vanilla-ts')
  const stepper = page.getByTestId('run.stepper')
  await expect(stepper).toHaveAttribute('data-status', 'ready', { timeout: 180_000 })
  const tabs = page.getByTestId('terminal.tab')
  const before = await tabs.allInnerTexts()
  expect(before.filter((t) => /npm install/.test(t))).toHaveLength(1)
  expect(before.filter((t) => /npm run dev/.test(t))).toHaveLength(1)

  for (let i = 0; i < 2; i++) {
    await page.getByTestId('run.button').click()
    await expect(stepper).not.toHaveAttribute('data-status', 'ready')
    await expect(stepper).toHaveAttribute('data-status', 'ready', { timeout: 120_000 })
  }
  await expect(previewFrame(page).locator('body')).not.toBeEmpty({ timeout: 30_000 })
  const after = await tabs.allInnerTexts()
  expect(after).toEqual(before)
  await expect(tabs.filter({ hasText: 'npm run dev' })).toHaveAttribute('data-exited', 'false')
  await page.screenshot({ path: test.info().outputPath('run-again.png') })
  expect(problems).toEqual([])
})
