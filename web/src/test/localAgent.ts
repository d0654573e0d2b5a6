import { afterAll, beforeAll } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SERVER = fileURLToPath(new URL('../../../server/', import.meta.url))
const AGENT = 'src/local-runtime/main.ts'

export interface RunningAgent {
  /// `ws://127.0.0.1:<port>/runtime?token=<token>`, as the agent printed it.
  readonly url: string
  /// Stops the agent (SIGTERM, which tears down everything it started) and deletes its data folder.
  stop(): Promise<void>
}

/// Starts the real local runtime agent (server/src/local-runtime/main.ts) on a free port with a fresh data folder,
/// allowing `origins` (the agent has no default) and with a token of its own making: the agent's settings in this
/// process's environment (`SLIPWAY_RUNTIME_*`, e.g. a person's own token file) are not passed on. It runs from
/// server/, where its `tsx` dependency resolves.
export async function startLocalAgent(options: { origins?: string[]; timeoutMs?: number } = {}): Promise<RunningAgent> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-agent-'))
  const origins = (options.origins ?? ['http://localhost:5173']).flatMap((origin) => ['--origin', origin])
  const child = spawn(process.execPath, ['--import', 'tsx', AGENT, '--port', '0', '--data-dir', dataDir, ...origins], {
    cwd: SERVER,
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLIPWAY_RUNTIME_'))),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = ''
      const timer = setTimeout(() => reject(new Error('no SLIPWAY_RUNTIME_URL line')), options.timeoutMs ?? 15_000)
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        const url = /^SLIPWAY_RUNTIME_URL=(\S+)$/m.exec(stdout)?.[1]
        if (url) {
          clearTimeout(timer)
          resolve(url)
        }
      })
      void exited.then(() => reject(new Error(`exited with ${child.exitCode ?? child.signalCode}`)))
    })
    return { url, stop }
  } catch (error) {
    await stop()
    throw new Error(`The local runtime agent did not start: ${(error as Error).message}\n${stderr}`)
  }
}

/// One agent for the calling test file: started before its tests, stopped after them. Returns a getter (the agent
/// exists only once `beforeAll` ran).
export function agentForSuite(options: Parameters<typeof startLocalAgent>[0] = {}): () => RunningAgent {
  let agent: RunningAgent | undefined
  beforeAll(async () => {
    agent = await startLocalAgent(options)
  }, 30_000)
  afterAll(async () => {
    await agent?.stop()
  }, 30_000)
  return () => {
    if (!agent) throw new Error('the local agent is not running: call agentForSuite() at the top of a test file')
    return agent
  }
}
