import { afterAll, beforeAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAgent } from '@slipway/runtime-agent'

export interface RunningAgent {
  /// `ws://127.0.0.1:<port>/runtime?token=<token>`
  readonly url: string
  /// Stops the agent (which tears down everything it started) and deletes its data folder.
  stop(): Promise<void>
}

/// Starts the real local runtime agent (@slipway/runtime-agent's `startAgent()`, in this process) on a free port with
/// a fresh data folder and a token of its own making, allowing `origins` (the agent has no default). Options are
/// passed directly, so the agent's settings in this process's environment (`SLIPWAY_RUNTIME_*`) play no part.
export async function startLocalAgent(options: { origins?: string[] } = {}): Promise<RunningAgent> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-agent-'))
  try {
    const agent = await startAgent({ port: 0, dataDir, origins: options.origins ?? ['http://localhost:5173'] })
    return {
      url: agent.url,
      stop: async () => {
        await agent.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw new Error(`The local runtime agent did not start: ${(error as Error).message}`)
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
