import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type RunningAgent } from './agent.ts'
import { TestClient } from './test-client.ts'

let dataDir: string
let agent: RunningAgent
let client: TestClient
let root: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-files-'))
  agent = await startAgent({ port: 0, dataDir })
  client = await TestClient.connect(agent.url)
  root = LocalRuntimeResultSchemas.open.parse(await client.ok({ type: 'open', project: 'files' })).root
})

afterAll(async () => {
  expect(client.invalid).toEqual([])
  await client.close()
  await agent.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('files', () => {
  it('opens the project folder under the data dir', () => {
    expect(root).toBe(join(dataDir, 'projects', 'files'))
  })

  it('refuses requests before open', async () => {
    const other = await TestClient.connect(agent.url)
    const response = await other.request({ type: 'readdir', path: '.' })
    expect(response).toMatchObject({ ok: false, error: { code: 'not_open' } })
    await other.close()
  })

  it('writes then reads, in utf-8 and base64, creating parent folders', async () => {
    await client.ok({ type: 'writeFile', path: 'src/deep/a.txt', data: 'héllo ✓', encoding: 'utf-8' })
    expect(await client.ok({ type: 'readFile', path: 'src/deep/a.txt', encoding: 'utf-8' })).toEqual({ data: 'héllo ✓' })
    const bytes = Buffer.from([0, 255, 1, 254])
    await client.ok({ type: 'writeFile', path: 'bin.dat', data: bytes.toString('base64'), encoding: 'base64' })
    expect(await readFile(join(root, 'bin.dat'))).toEqual(bytes)
    expect(await client.ok({ type: 'readFile', path: 'bin.dat', encoding: 'base64' })).toEqual({ data: bytes.toString('base64') })
  })

  it('mounts a tree, lists, renames, removes', async () => {
    await client.ok({
      type: 'mount',
      tree: {
        'package.json': { file: { contents: '{"name":"x"}', encoding: 'utf-8' } },
        lib: { directory: { 'i.js': { file: { contents: Buffer.from('export {}').toString('base64'), encoding: 'base64' } } } },
      },
    })
    expect(await readFile(join(root, 'lib/i.js'), 'utf8')).toBe('export {}')
    const listed = LocalRuntimeResultSchemas.readdir.parse(await client.ok({ type: 'readdir', path: '.' }))
    expect(listed.entries).toEqual(expect.arrayContaining([{ name: 'package.json', kind: 'file' }, { name: 'lib', kind: 'directory' }]))
    await client.ok({ type: 'rename', from: 'lib/i.js', to: 'lib/j.js' })
    expect(await client.ok({ type: 'readdir', path: 'lib' })).toEqual({ entries: [{ name: 'j.js', kind: 'file' }] })
    await client.ok({ type: 'mkdir', path: 'empty/nested', recursive: true })
    await client.ok({ type: 'rm', path: 'empty', recursive: true, force: false })
    await client.ok({ type: 'rm', path: 'nothing-here', recursive: false, force: true })
  })

  it('reports file-system errors with their errno', async () => {
    expect(await client.request({ type: 'readFile', path: 'missing.txt', encoding: 'utf-8' })).toMatchObject({
      ok: false,
      error: { code: 'fs_error', errno: 'ENOENT' },
    })
    expect(await client.request({ type: 'mkdir', path: 'lib', recursive: false })).toMatchObject({ ok: false, error: { errno: 'EEXIST' } })
    expect(await client.request({ type: 'rm', path: 'lib', recursive: false, force: false })).toMatchObject({ ok: false, error: { code: 'fs_error' } })
  })

  it('watches changes made by a spawned process and by the agent, skipping node_modules contents', async () => {
    const { watchId } = LocalRuntimeResultSchemas.watch.parse(await client.ok({ type: 'watch', path: '.' }))
    const { pid } = LocalRuntimeResultSchemas.spawn.parse(
      await client.ok({ type: 'spawn', command: process.execPath, args: ['-e', "require('fs').writeFileSync('from-node.txt', 'hi')"] }),
    )
    expect(await client.exit(pid)).toBe(0)
    await client.waitFor((e) => e.type === 'watch' && e.watchId === watchId && e.path === 'from-node.txt')

    await client.ok({ type: 'writeFile', path: 'src/deep/a.txt', data: 'changed', encoding: 'utf-8' })
    await client.waitFor((e) => e.type === 'watch' && e.event === 'change' && e.path === 'src/deep/a.txt')

    await writeFile(join(root, 'outside-agent.txt'), 'x')
    await client.waitFor((e) => e.type === 'watch' && e.event === 'rename' && e.path === 'outside-agent.txt')

    await client.ok({ type: 'mkdir', path: 'node_modules/pkg', recursive: true })
    await client.ok({ type: 'writeFile', path: 'node_modules/pkg/index.js', data: '1', encoding: 'utf-8' })
    await client.waitFor((e) => e.type === 'watch' && e.path === 'node_modules')
    await client.ok({ type: 'writeFile', path: 'marker.txt', data: '1', encoding: 'utf-8' })
    await client.waitFor((e) => e.type === 'watch' && e.path === 'marker.txt')
    expect(client.events.filter((e) => e.type === 'watch' && e.path.startsWith('node_modules/'))).toEqual([])

    await client.ok({ type: 'unwatch', watchId })
    const before = client.events.length
    await client.ok({ type: 'writeFile', path: 'after-unwatch.txt', data: '1', encoding: 'utf-8' })
    await new Promise((r) => setTimeout(r, 300))
    expect(client.events.slice(before).filter((e) => e.type === 'watch')).toEqual([])
  })
})
