import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type RunningAgent } from './agent.ts'
import { alive, TestClient } from './test-client.ts'

// Issue 16: two IDE clients writing one folder import each other's writes as edits of their own, and an edit
// multiplies. Each concurrent connection of a project works in a folder of its own.

let dataDir: string
let agent: RunningAgent
const clients: TestClient[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-folders-'))
  agent = await startAgent({ port: 0, dataDir })
})

afterAll(async () => {
  for (const c of clients) expect(c.invalid).toEqual([])
  await Promise.all(clients.map((c) => c.close()))
  await agent.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function opened(project: string): Promise<{ client: TestClient; root: string }> {
  const client = await TestClient.connect(agent.url)
  clients.push(client)
  const { root } = LocalRuntimeResultSchemas.open.parse(await client.ok({ type: 'open', project }))
  return { client, root }
}

/// Closes the client and gives the agent a moment to see it (a browser's reload takes far longer than this).
async function leave(client: TestClient): Promise<void> {
  await client.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
}

async function run(client: TestClient, script: string): Promise<string> {
  const { pid } = LocalRuntimeResultSchemas.spawn.parse(await client.ok({ type: 'spawn', command: process.execPath, args: ['-e', script] }))
  expect(await client.exit(pid)).toBe(0)
  return client.output(pid)
}

describe('one working folder per connection', () => {
  it('a concurrent connection gets a folder of its own; what one writes, the other does not see', async () => {
    const a = await opened('shared')
    const b = await opened('shared')
    expect(a.root).toBe(join(dataDir, 'projects', 'shared'))
    expect(b.root).toBe(join(dataDir, 'projects', 'shared~2'))

    // A's bridge, or a program in A's terminal, writes; B's watcher hears nothing, B's folder is untouched.
    await b.client.ok({ type: 'watch', path: '.' })
    await a.client.ok({ type: 'writeFile', path: 'index.js', data: "console.log('repro-2')\n", encoding: 'utf-8' })
    await run(a.client, "require('fs').writeFileSync('gen.txt', 'codegen')")
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(b.client.events.filter((e) => e.type === 'watch')).toEqual([])
    await expect(stat(join(b.root, 'index.js'))).rejects.toThrow(/ENOENT/)
    expect(await readFile(join(a.root, 'gen.txt'), 'utf8')).toBe('codegen')

    // Processes run in their connection's folder. Servers that read PORT get a free one in a concurrent folder, so
    // two dev servers of one project do not fight over its port; the project's own folder keeps the program's default.
    const where = "process.stdout.write(process.cwd() + ' PORT=' + (process.env.PORT ?? 'unset'))"
    const inA = await run(a.client, where)
    const inB = await run(b.client, where)
    expect(inA).toBe(`${a.root} PORT=${process.env.PORT ?? 'unset'}`)
    expect(inB).toMatch(new RegExp(`^${b.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} PORT=\\d+$`))
    expect(await run(b.client, "process.stdout.write(process.env.PORT)").then(Number)).not.toBe(Number(process.env.PORT ?? 0))
    const own = LocalRuntimeResultSchemas.spawn.parse(
      await b.client.ok({ type: 'spawn', command: process.execPath, args: ['-e', 'process.stdout.write(process.env.PORT)'], env: { PORT: '4321' } }),
    )
    expect(await b.client.exit(own.pid)).toBe(0)
    expect(b.client.output(own.pid)).toBe('4321')
    await Promise.all([a.client.close(), b.client.close()])
  })

  it('a folder is reused once its connection closed, with what it held (node_modules survive)', async () => {
    const a = await opened('reuse')
    const b = await opened('reuse')
    await b.client.ok({ type: 'writeFile', path: 'node_modules/dep/index.js', data: 'installed', encoding: 'utf-8' })
    await leave(b.client)
    const c = await opened('reuse')
    expect(c.root).toBe(b.root)
    expect(await c.client.ok({ type: 'readFile', path: 'node_modules/dep/index.js', encoding: 'utf-8' })).toEqual({ data: 'installed' })
    // The project's own folder is the first free one: whoever opens next, after its holder left, gets it.
    await leave(a.client)
    const d = await opened('reuse')
    expect(d.root).toBe(join(dataDir, 'projects', 'reuse'))
    await Promise.all([c.client.close(), d.client.close()])
  })

  it('a reload gets its folder back: the next connection waits for the last one\'s processes to end', async () => {
    const a = await opened('reload')
    // A process that ignores SIGTERM keeps the folder busy until the agent's kill escalates.
    const { pid } = LocalRuntimeResultSchemas.spawn.parse(
      await a.client.ok({ type: 'spawn', command: process.execPath, args: ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"] }),
    )
    await a.client.waitFor((e) => e.type === 'output' && e.pid === pid && e.data.includes('up'))
    await leave(a.client)
    const again = await opened('reload')
    expect(again.root).toBe(a.root)
    expect(alive(pid)).toBe(false)
    await again.client.close()
  })
})
