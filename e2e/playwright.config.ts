import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineConfig, devices } from '@playwright/test'
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.ts'
import { FAKE_ANTHROPIC_KEY, FAKE_ANTHROPIC_PORT, FAKE_ANTHROPIC_URL } from './fakeAnthropic.ts'

const port = Number(process.env.E2E_PORT ?? 4317)
export const baseURL = `http://localhost:${port}`
const dataDir = mkdtempSync(path.join(tmpdir(), 'slipway-e2e-'))

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  // One retry in CI; a test that passes only on retry is reported as flaky in the run output.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Every test gets a fresh profile; installing the service worker would download the whole precache each time.
    // The offline specs turn it on.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    // The fake Anthropic API first, so the server's assistant is on and answers from it.
    {
      command: `node ../server/test-support/fake-anthropic.mjs --port ${FAKE_ANTHROPIC_PORT} --api-key ${FAKE_ANTHROPIC_KEY}`,
      url: `${FAKE_ANTHROPIC_URL}/_fake/health`,
      timeout: 20_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    // The production build served by the production entry point, on a fresh embedded database.
    {
      command: process.env.E2E_SKIP_BUILD ? 'node ../server/dist/main.js' : 'cd .. && node server/scripts/build-if-stale.mjs && node server/dist/main.js',
      url: `${baseURL}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        SLIPWAY_DATA_DIR: dataDir,
        PUBLIC_URL: baseURL,
        ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: FAKE_ANTHROPIC_URL,
      },
    },
  ],
})
