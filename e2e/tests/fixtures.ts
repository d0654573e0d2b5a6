import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect } from '@playwright/test'
import type { Page } from '@playwright/test'

/// The `slipway-runtime` command of @slipway/runtime-agent, built from its current sources (esbuild, well under a
/// second): the browser tests run the agent as a person who installed the package does.
function agentCommand(): string {
  const manifest = createRequire(import.meta.url).resolve('@slipway/runtime-agent/package.json')
  const dir = path.dirname(manifest)
  const built = spawnSync(process.execPath, [path.join(dir, 'scripts/build.mjs')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building @slipway/runtime-agent failed: ${built.stderr}`)
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }
  return path.join(dir, bin['slipway-runtime']!)
}

export interface Agent {
  url: string
  /// The query string that makes the IDE use this agent.
  query: string
}

/// The local runtime agent, started for the whole worker: the workbench's browser tests run on it (real pty, real
/// node and npm, real dev servers).
export const test = base.extend<{ problems: string[] }, { agent: Agent }>({
  agent: [
    async ({}, use, workerInfo) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'slipway-agent-'))
      const baseURL = String(workerInfo.project.use.baseURL)
      const child: ChildProcess = spawn(process.execPath, [agentCommand(), '--port', '0', '--data-dir', dataDir, '--origin', baseURL], {
        cwd: dataDir,
        // Terminals start the user's login shell (`$SHELL -l`). The machine's own bash login profile runs
        // `pyenv rehash`, which takes a lock file; a shell killed mid-rehash (every test's shells are killed when its
        // page closes) leaves the lock behind, and every later bash login then waits on it with no prompt. `sh -l`
        // reads no bashrc: the tests get a shell that depends on nothing the machine's profile does.
        // The agent's own settings (`SLIPWAY_RUNTIME_*`, e.g. a person's token file) are not passed on: it allows
        // exactly the IDE's origin and makes its own token.
        env: { ...withoutAgentSettings(process.env), SHELL: '/bin/sh' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /^SLIPWAY_RUNTIME_URL=(\S+)$/m.exec(out)
          if (m) resolve(m[1]!)
        })
        child.on('exit', (code) => reject(new Error(`agent exited ${code}: ${stderr}`)))
      })
      await use({ url, query: `?runtime=local&url=${encodeURIComponent(url)}` })
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 500))
      rmSync(dataDir, { recursive: true, force: true })
    },
    { scope: 'worker' },
  ],
  /// Console errors, uncaught exceptions and Content-Security-Policy violations of the IDE's pages (the test's page
  /// and any other page of the IDE's origin it opens), not of previews.
  problems: async ({ page, baseURL }, use) => {
    const problems: string[] = []
    const context = page.context()
    // A document reports each violation of its own policy as a `securitypolicyviolation` event; Chromium also logs
    // most of them, as console errors with no location. The event is turned into a console error that names the
    // directive, what was blocked and where, so every violation shows, whatever the browser logs.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : ''
        console.error(`CSP violation in ${location.href}: ${e.effectiveDirective} blocked ${e.blockedURI || 'an inline script or style'}${where}`)
      })
    })
    const watch = (p: Page, counts: () => boolean = () => true) => {
      p.on('pageerror', (e) => {
        if (counts()) problems.push(`pageerror: ${e.message}`)
      })
      // Chromium reports the preview frames' console here too (e.g. a dev server's client pinging it while a
      // Restart has it down, answered 502 by the preview proxy): those belong to the app being previewed, not to the
      // IDE, and so do violations of a previewed page's own CSP.
      const fromPreview = (url: string) => {
        const origin = url.startsWith('http') ? new URL(url).origin : undefined
        return !!origin && p.frames().some((f) => f !== p.mainFrame() && f.url().startsWith('http') && new URL(f.url()).origin === origin)
      }
      p.on('console', (m) => {
        const url = m.location().url
        if (!counts() || fromPreview(url)) return
        const text = m.text()
        if (m.type() === 'error' && !isExpectedAnonymous401(text, url)) problems.push(`console.error: ${text}`)
        else if (/Content Security Policy/i.test(text)) problems.push(`console.${m.type()}: ${text}`)
      })
    }
    watch(page)
    // Other tabs count while they show the IDE (a preview opened in a tab is the previewed app's).
    const ide = new URL(String(baseURL)).origin
    context.on('page', (p) => {
      if (p !== page) watch(p, () => p.url().startsWith(`${ide}/`))
    })
    await use(problems)
  },
})

export { expect }

function withoutAgentSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SLIPWAY_RUNTIME_')))
}

/// Anonymous visitors ask `GET /api/auth/me` and get 401, which Chromium logs as a failed resource.
export function isExpectedAnonymous401(text: string, url: string): boolean {
  return /status of 401/.test(text) && /\/api\/auth\/me$/.test(url)
}

/// Starts a new anonymous project from a template and waits for the workbench.
export async function newProject(page: Page, agent: Agent, template: string) {
  await page.goto(`/${agent.query}`)
  await page.locator(`[data-testid="dashboard.template"][data-template="${template}"]`).click()
  await expect(page.getByTestId('workbench')).toBeVisible({ timeout: 15_000 })
  await expect(page).toHaveURL(/\/p\/[0-9a-f-]{36}/)
}

/// Replaces the text of the open editor (Monaco) by typing, as a person would.
export async function replaceInEditor(page: Page, find: string, replace: string) {
  const editor = page.getByTestId('editor.monaco')
  await editor.locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+H')
  const findInput = page.locator('.find-widget textarea[aria-label="Find"], .find-widget input[aria-label="Find"]').first()
  await findInput.fill(find)
  const replaceInput = page.locator('.find-widget textarea[aria-label="Replace"], .find-widget input[aria-label="Replace"]').first()
  await replaceInput.fill(replace)
  await page.keyboard.press('ControlOrMeta+Alt+Enter')
  await page.keyboard.press('Escape')
}

export function previewFrame(page: Page) {
  return page.frameLocator('[data-testid="preview.frame"]')
}

/// WebContainer cannot boot here: its runtime loads from StackBlitz. Offline it refuses at once, so the run failure
/// opens as the workbench mounts; online without internet it opens when the boot times out (45 s), often mid-test;
/// where StackBlitz is reachable it never opens. Wherever it opens it covers the file tree, so from now on this page
/// closes it the way a person would (its Close button) whenever it shows before a step: Playwright runs the handler
/// before every action and auto-waiting assertion while the panel is visible, and nothing waits for a failure that
/// may never come. Call once per page, before the steps it could get in the way of; the handler survives reloads.
export async function closeRunFailureWhenShown(page: Page) {
  await page.addLocatorHandler(page.getByTestId('run.failure'), (failure) => failure.getByRole('button', { name: 'Close' }).click())
}

/// axe-core's findings on the IDE's part of the page, every impact (the previewed app is not ours).
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('[data-testid="preview.frame"]').analyze()
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
