import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alive, Refused, TestClient } from './test-client.ts'

// The CLI contract the browser adapter's contract tests rely on: they spawn this entry point as a child process.
const serverDir = fileURLToPath(new URL('../..', import.meta.url))
const URL_LINE = /^SLIPWAY_RUNTIME_URL=(ws:\/\/127\.0\.0\.1:(\d+)\/runtime\?token=([A-Za-z0-9_-]+))$/

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-cli-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

interface Cli {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function cli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local-runtime/main.ts', ...args], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: dataDir, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exit }
}

async function firstLine(run: Cli): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const newline = run.stdout().indexOf('\n')
      if (newline >= 0) {
        run.child.stdout.off('data', check)
        resolve(run.stdout().slice(0, newline))
      }
    }
    run.child.stdout.on('data', check)
    void run.exit.then((code) => reject(new Error(`exited ${code}: ${run.stderr()}`)))
  })
}

describe('CLI', () => {
  it('prints the URL line first, then a human paragraph; SIGTERM tears down and exits 0', async () => {
    const run = cli(['--port', '0', '--data-dir', dataDir])
    const line = await firstLine(run)
    const [, url, , token] = URL_LINE.exec(line) ?? []
    expect(url, line).toBeDefined()
    expect(token).toHaveLength(43)
    await new Promise((r) => setTimeout(r, 100))
    expect(run.stdout()).toMatch(/own user's rights/)

    const client = await TestClient.connect(url!, 'http://localhost:5173')
    await client.ok({ type: 'open', project: 'cli' })
    const piped = LocalRuntimeResultSchemas.spawn.parse(
      await client.ok({ type: 'spawn', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }),
    ).pid
    const shell = LocalRuntimeResultSchemas.spawn.parse(
      await client.ok({ type: 'spawn', command: 'bash', args: ['--noprofile', '--norc', '-i'], terminal: { cols: 80, rows: 24 } }),
    ).pid
    expect(alive(piped) && alive(shell)).toBe(true)

    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(alive(piped)).toBe(false)
    expect(alive(shell)).toBe(false)
    expect(run.stderr()).toBe('')
  })

  it('takes its settings from the environment, and exits 0 on SIGINT', async () => {
    const token = 'token-from-the-environment'
    const run = cli([], {
      SLIPWAY_RUNTIME_PORT: '0',
      SLIPWAY_RUNTIME_DATA_DIR: dataDir,
      SLIPWAY_RUNTIME_TOKEN: token,
      SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'https://ide.example, http://localhost:9000',
    })
    const [, url, , printed] = URL_LINE.exec(await firstLine(run)) ?? []
    expect(printed).toBe(token)
    await (await TestClient.connect(url!, 'https://ide.example')).close()
    await expect(TestClient.connect(url!, 'http://localhost:5173')).rejects.toEqual(new Refused(403))
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
  })

  // The full table of bad values is options.test.ts; these check what the process does with one.
  it.each([
    [['--port', 'abc'], {}, '--port'],
    [[], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'not-an-origin' }, 'SLIPWAY_RUNTIME_ALLOWED_ORIGINS'],
  ])('refuses %j %j with one stderr line naming %s and exit 1', async (args, env, name) => {
    const run = cli(args, env as Record<string, string>)
    expect(await run.exit).toBe(1)
    const lines = run.stderr().split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(name)
    expect(run.stdout()).toBe('')
  })
})
