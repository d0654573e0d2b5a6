import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TestClient } from './test-client.ts'

// The package as a person gets it: `pnpm pack` (which builds dist/ first), the tarball installed with npm into an
// empty folder outside the workspace (no @slipway/shared, no tsx, no monorepo node_modules to lean on), and the
// installed `slipway-runtime` command run from there. It fails when the bundle needs something it does not ship
// (a workspace import left external, a dependency still borrowed from the server, a missing shebang or bin).

const packageDir = fileURLToPath(new URL('..', import.meta.url))
let scratch: string
let bin: string
let agent: ChildProcessWithoutNullStreams | undefined

/// Runs a command to completion; throws with its output when it fails.
function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'slipway-runtime-package-'))
  const packed = join(scratch, 'packed')
  run('pnpm', ['pack', '--pack-destination', packed], packageDir)
  const [tarball] = (await readdir(packed)).filter((name) => name.endsWith('.tgz'))
  if (!tarball) throw new Error('pnpm pack wrote no tarball')
  await writeFile(join(scratch, 'package.json'), '{ "name": "slipway-runtime-try", "private": true }\n')
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(packed, tarball)], scratch)
  bin = join(scratch, 'node_modules', '.bin', 'slipway-runtime')
}, 120_000)

afterAll(async () => {
  if (agent && agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL')
  await rm(scratch, { recursive: true, force: true })
})

it('ships only the bundle and its manifest', async () => {
  const installed = join(scratch, 'node_modules', '@slipway', 'runtime-agent')
  const files = (await readdir(installed, { recursive: true })).filter((f) => !f.endsWith('.map')).sort()
  expect(files).toContain('dist/main.js')
  expect(files).toContain('dist/index.js')
  expect(files.filter((f) => f.startsWith('src'))).toEqual([])
  // Nothing from the workspace: shared was bundled in.
  expect(await readdir(join(scratch, 'node_modules', '@slipway'))).toEqual(['runtime-agent'])
})

it('prints its usage for --help', () => {
  const result = spawnSync(bin, ['--help'], { cwd: scratch, encoding: 'utf8' })
  expect(result.status).toBe(0)
  expect(result.stdout).toMatch(/^usage: slipway-runtime --origin URL/)
  expect(result.stdout).toContain('--token-file FILE')
})

it('starts with --origin and a token file, and runs node -v in a pty for a client', async () => {
  const token = randomBytes(32).toString('hex')
  const tokenFile = join(scratch, 'token')
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 })
  const dataDir = join(scratch, 'data')
  agent = spawn(bin, ['--origin', 'http://localhost:3000', '--port', '0', '--data-dir', dataDir, '--token-file', tokenFile], {
    cwd: scratch,
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLIPWAY_RUNTIME_'))),
  })
  let stderr = ''
  agent.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    agent!.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const found = /^SLIPWAY_RUNTIME_URL=(\S+)$/m.exec(stdout)?.[1]
      if (found) resolve(found)
    })
    agent!.once('exit', (code) => reject(new Error(`the installed agent exited ${code}: ${stderr}`)))
  })
  expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/runtime\\?token=${token}$`))

  const client = await TestClient.connect(url, 'http://localhost:3000')
  try {
    await client.ok({ type: 'open', project: 'try' })
    const spawned = await client.ok({ type: 'spawn', command: 'node', args: ['-v'], terminal: { cols: 80, rows: 24 } })
    const { pid } = LocalRuntimeResultSchemas.spawn.parse(spawned)
    expect(await client.exit(pid)).toBe(0)
    expect(client.output(pid).trim()).toBe(process.version)
    expect(client.invalid).toEqual([])
  } finally {
    await client.close()
  }
  const exited = new Promise<number | null>((resolve) => agent!.once('exit', (code) => resolve(code)))
  agent.kill('SIGTERM')
  expect(await exited).toBe(0)
}, 60_000)
