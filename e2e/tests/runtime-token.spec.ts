import { expect, test } from './fixtures.ts'

// Issue 16 item 9: `?runtime=local&token=…` chooses the local runtime; the IDE keeps that choice with its runtime
// settings and takes it out of the address, so no URL a person copies from then on carries the token.

test('the local runtime token leaves the address bar and stays in the runtime settings', async ({ page, agent, problems }) => {
  const connect = new URL(agent.url)
  const token = connect.searchParams.get('token')!
  await page.goto(`/?runtime=local&token=${token}&port=${connect.port}`)
  await expect(page.getByTestId('dashboard.template').first()).toBeVisible()
  expect(page.url()).not.toContain(token)
  expect(new URL(page.url()).search).toBe('')

  // A project opens on the local runtime, with nothing but its path in the address, and runs there.
  await page.locator('[data-testid="dashboard.template"][data-template="node-script"]').click()
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('workbench.runtime')).toHaveText('Local runtime')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'exited', { timeout: 30_000 })
  expect(page.url()).not.toContain(token)

  // A reload keeps the local runtime: it comes from the settings now, not from the address.
  await page.reload()
  await expect(page.getByTestId('workbench.runtime')).toHaveText('Local runtime')
  await expect(page.getByTestId('run.stepper')).toHaveAttribute('data-status', 'exited', { timeout: 30_000 })
  await page.getByTestId('workbench.runtime').click()
  await expect(page.getByTestId('settings.local')).toBeChecked()
  await expect(page.getByTestId('settings.url')).toHaveValue(`ws://127.0.0.1:${connect.port}/runtime?token=${token}`)
  expect(page.url()).not.toContain(token)
  expect(problems).toEqual([])
})

test('a mistyped token is taken out of the address too, and the runtime stays what it was', async ({ page, problems }) => {
  await page.goto('/?runtime=local&token=typo&keep=1')
  await expect(page.getByTestId('dashboard.template').first()).toBeVisible()
  expect(new URL(page.url()).search).toBe('?keep=1')
  await page.getByTestId('app.runtime-settings').click()
  await expect(page.getByTestId('settings.local')).not.toBeChecked()
  expect(problems).toEqual([])
})

test('the runtime settings give the one-line command that starts the local runtime for this origin, and copy it', async ({ page, baseURL, problems }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto('/')
  await page.getByTestId('app.runtime-settings').click()
  const command = `npx @slipway/runtime-agent --origin ${new URL(baseURL!).origin}`
  await expect(page.getByTestId('settings.localCommand')).toHaveText(command)
  await expect(page.getByTestId('settings.commandHint')).toContainText('start Slipway')
  const copy = page.getByTestId('settings.copyCommand')
  await expect(copy).toHaveText('Copy')
  await copy.click()
  await expect(copy).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command)
  // It says so for a moment, then offers to copy again.
  await expect(copy).toHaveText('Copy', { timeout: 5_000 })
  expect(problems).toEqual([])
})
