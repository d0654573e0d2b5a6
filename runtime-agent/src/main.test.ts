import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { alive, Refused, TestClient } from './test-client.ts'

// The CLI contract the browser adapter's contract tests rely on: they spawn this entry point as a child process.
const agentDir = fileURLToPath(new URL('..', import.meta.url))
const URL_LINE = /^SLIPWAY_RUNTIME_URL=(ws:\/\/127\.0\.0\.1:(\d+)\/runtime\?token=([A-Za-z0-9_-]+))$/

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-cli-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})
// A failed test must not leave its agent running.
const started: Cli[] = []
afterEach(() => {
  for (const run of started.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL')
})

interface Cli {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function cli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: agentDir,
    env: { PATH: process.env.PATH, HOME: dataDir, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const run = { child, stdout: () => stdout, stderr: () => stderr, exit }
  started.push(run)
  return run
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

// The command line any local user can read (ps, /proc).
const commandLine = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ')

const IDE = 'http://localhost:3000'
const STRONG = 'Qx7_Lr2-Vb9kTz4WmN8pYc3Hs6Ja1Ud5Ge0FoXiBvKw'

describe('CLI', () => {
  it('prints the URL line first, then a human paragraph; SIGTERM tears down and exits 0', async () => {
    const run = cli(['--port', '0', '--data-dir', dataDir, '--origin', IDE])
    const line = await firstLine(run)
    const [, url, , token] = URL_LINE.exec(line) ?? []
    expect(url, line).toBeDefined()
    expect(token).toHaveLength(43)
    await new Promise((r) => setTimeout(r, 100))
    expect(run.stdout()).toMatch(/own user's rights/)
    expect(run.stdout()).toMatch(/token is new each run/)
    expect(run.stdout()).toContain(`only from ${IDE}.`)

    // Only the origin given: the usual dev-server ports, where a project's own pages are served, are refused.
    for (const devServer of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://127.0.0.1:3000']) {
      await expect(TestClient.connect(url!, devServer), devServer).rejects.toEqual(new Refused(403))
    }
    const client = await TestClient.connect(url!, IDE)
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
    const token = STRONG
    const run = cli([], {
      SLIPWAY_RUNTIME_PORT: '0',
      SLIPWAY_RUNTIME_DATA_DIR: dataDir,
      SLIPWAY_RUNTIME_TOKEN: token,
      SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'https://ide.example, http://localhost:9000',
    })
    const [, url, , printed] = URL_LINE.exec(await firstLine(run)) ?? []
    expect(printed).toBe(token)
    expect(await commandLine(run.child.pid!)).not.toContain(token)
    await (await TestClient.connect(url!, 'https://ide.example')).close()
    await expect(TestClient.connect(url!, 'http://localhost:5173')).rejects.toEqual(new Refused(403))
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
  })

  it('takes the token from a file only its owner can read, never from the command line', async () => {
    const file = join(dataDir, 'token')
    await writeFile(file, `${STRONG}\n`)
    await chmod(file, 0o600)
    const run = cli(['--port', '0', '--data-dir', dataDir, '--origin', IDE, '--token-file', file])
    const [, url, , printed] = URL_LINE.exec(await firstLine(run)) ?? []
    expect(printed).toBe(STRONG)
    expect(await commandLine(run.child.pid!)).not.toContain(STRONG)
    await new Promise((r) => setTimeout(r, 100))
    expect(run.stdout()).toContain(`token is the one from ${file}.`)
    await (await TestClient.connect(url!, IDE)).close()
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  // The full table of bad values is options.test.ts; these check what the process does with one.
  it.each([
    [['--origin', IDE, '--port', 'abc'], {}, '--port'],
    [[], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'not-an-origin' }, 'SLIPWAY_RUNTIME_ALLOWED_ORIGINS'],
    [['--port', '0'], {}, 'no IDE origin given: pass --origin'],
    [['--origin', IDE, '--token', STRONG], {}, '--token is not accepted'],
    [['--origin', IDE], { SLIPWAY_RUNTIME_TOKEN: 'sixteen-chars-ok' }, 'SLIPWAY_RUNTIME_TOKEN is too weak'],
  ])('refuses %j %j with one stderr line naming %s and exit 2', async (args, env, name) => {
    const run = cli(args, env as Record<string, string>)
    expect(await run.exit).toBe(2)
    const lines = run.stderr().split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(name)
    expect(lines[0]).not.toContain(STRONG)
    expect(run.stdout()).toBe('')
  })
})
