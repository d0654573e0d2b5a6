import { expect, replaceInEditor, test } from './fixtures.ts'

test('sign up, create a project on the account, edit it: the server has the edit', async ({ page, agent, problems }) => {
  const email = `e2e-${Date.now()}@example.com`
  await page.goto(`/signup${agent.query}`)
  await page.getByTestId('auth.email').fill(email)
  await page.getByTestId('auth.password').fill('a long enough password')
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('app.account')).toContainText(email)

  await page.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}/)
  const id = /\/p\/([0-9a-f-]{36})/.exec(page.url())![1]!
  await page.locator('[data-testid="tree.item"][data-path="index.js"]').click()
  await replaceInEditor(page, "greet('Slipway')", "greet('Server')")
  await expect(page.getByTestId('sync.status')).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })

  const file = await page.request.get(`/api/projects/${id}/files/index.js`)
  expect(file.status()).toBe(200)
  expect(await file.text()).toContain("greet('Server')")

  // The dashboard lists it as an account project; signing out hides it.
  await page.getByTestId('app.topbar').getByRole('link', { name: /Slipway/ }).click()
  await expect(page.locator(`[data-testid="dashboard.project"][data-id="${id}"]`)).toBeVisible()
  await page.getByTestId('app.signout').click()
  await expect(page.getByTestId('signout.dialog')).toContainText('1 project of this account is stored on this device')
  await page.getByTestId('signout.keep').click()
  await expect(page.getByTestId('app.signin')).toBeVisible()
  await expect(page.locator(`[data-testid="dashboard.project"][data-id="${id}"]`)).toHaveCount(0)
  expect(problems).toEqual([])
})

test('sign-in errors are shown next to the form', async ({ page }) => {
  await page.goto('/signin')
  await page.getByTestId('auth.email').fill('nobody@example.com')
  await page.getByTestId('auth.password').fill('wrong password')
  await page.getByTestId('auth.submit').click()
  await expect(page.getByTestId('auth.error')).toHaveText('Email or password is incorrect.')
})
