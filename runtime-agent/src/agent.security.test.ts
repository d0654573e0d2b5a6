import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type RunningAgent } from './agent.ts'
import { listListenSockets } from './proc.ts'
import { Refused, TestClient } from './test-client.ts'

const IDE = 'http://localhost:3000'

let dataDir: string
let outside: string
let agent: RunningAgent
let client: TestClient
let root: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-security-'))
  outside = await mkdtemp(join(tmpdir(), 'slipway-runtime-outside-'))
  await writeFile(join(outside, 'sentinel.txt'), 'keep')
  agent = await startAgent({ port: 0, dataDir, token: 'a-test-token-of-enough-length', origins: [IDE] })
  client = await TestClient.connect(agent.url, IDE)
  root = LocalRuntimeResultSchemas.open.parse(await client.ok({ type: 'open', project: 'p' })).root
  await symlink(outside, join(root, 'link'))
  await symlink(join(outside, 'sentinel.txt'), join(root, 'file-link'))
  await symlink(join(outside, 'created-through-dangling-link.txt'), join(root, 'dangling'))
  await writeFile(join(root, 'inside.txt'), 'in')
  await mkdir(join(root, 'dir'))
})

afterAll(async () => {
  expect(client.invalid).toEqual([])
  await client.close()
  await agent.close()
  await rm(dataDir, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

function withUrl(change: (url: URL) => void): string {
  const url = new URL(agent.url)
  change(url)
  return url.toString()
}

function httpStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: agent.port, path, headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

async function refusal(url: string, origin?: string): Promise<number> {
  try {
    const c = await TestClient.connect(url, origin)
    await c.close()
    return 101
  } catch (error) {
    if (error instanceof Refused) return error.status
    throw error
  }
}

describe('who may connect', () => {
  it('refuses upgrades without the token, with a wrong one, or from an origin not allowed', async () => {
    expect(await refusal(withUrl((u) => u.searchParams.delete('token')), IDE)).toBe(401)
    expect(await refusal(withUrl((u) => u.searchParams.set('token', 'a-test-token-of-enough-lengtH')), IDE)).toBe(401)
    expect(await refusal(withUrl((u) => u.searchParams.set('token', '')))).toBe(401)
    expect(await refusal(agent.url, 'https://evil.example')).toBe(403)
    expect(await refusal(agent.url, 'null')).toBe(403)
    expect(await refusal(withUrl((u) => (u.pathname = '/other')))).toBe(404)
  })

  it('accepts the right token from an allowed origin, or with no Origin at all', async () => {
    expect(await refusal(agent.url, IDE)).toBe(101)
    expect(await refusal(agent.url)).toBe(101)
  })

  it('allows only the origins given: a dev server on a usual port is refused', async () => {
    for (const devServer of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://127.0.0.1:3000', 'http://localhost:8080']) {
      expect({ devServer, status: await refusal(agent.url, devServer) }).toEqual({ devServer, status: 403 })
    }
  })

  it('given no origins, refuses every browser page, the usual dev-server ports included', async () => {
    const bare = await startAgent({ port: 0, dataDir })
    try {
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:5173', 'http://127.0.0.1:5173']) {
        expect({ origin, status: await refusal(bare.url, origin) }).toEqual({ origin, status: 403 })
      }
      expect(await refusal(bare.url)).toBe(101)
    } finally {
      await bare.close()
    }
  })

  it('refuses plain HTTP requests the same way', async () => {
    expect(await httpStatus('/runtime')).toBe(401)
    expect(await httpStatus(`/runtime?token=${agent.token}`, { origin: 'https://evil.example' })).toBe(403)
    expect(await httpStatus(`/runtime?token=${agent.token}`)).toBe(426)
  })

  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(agent.url).hostname).toBe('127.0.0.1')
    // Every socket listening on the agent's port is bound to loopback: no wildcard, no other interface. (Connecting
    // to the machine's own non-loopback address is not attempted: this workplace's network rules forbid it.)
    const bound = (await listListenSockets()).filter((s) => s.port === agent.port).map((s) => s.address)
    expect(bound).toEqual(['127.0.0.1'])
  })
})

describe('paths stay inside the project', () => {
  const escapes = ['../x', '../../etc/passwd', '/etc/passwd', 'dir/../../x', 'link', 'link/sentinel.txt', 'link/new.txt', 'file-link', 'dangling', 'a\0b']
  // Symlinks leading out of the project (or nowhere): removing the link itself is safe, so rm of them is allowed
  // (tested below); every other operation would act on the target.
  const links = ['link', 'file-link', 'dangling']

  it.each(escapes)('refuses %j for every operation (but rm of the link itself)', async (path) => {
    const requests = [
      { type: 'readFile', path, encoding: 'utf-8' },
      { type: 'writeFile', path, data: 'pwned', encoding: 'utf-8' },
      ...(links.includes(path) ? [] : [{ type: 'rm', path, recursive: true, force: true }]),
      { type: 'readdir', path },
      { type: 'mkdir', path, recursive: true },
      { type: 'rename', from: path, to: 'moved' },
      { type: 'rename', from: 'inside.txt', to: path },
      { type: 'watch', path },
      { type: 'spawn', command: 'touch', args: ['pwned'], cwd: path },
      { type: 'mount', tree: { [path]: { file: { contents: 'pwned', encoding: 'utf-8' } } } },
    ]
    for (const body of requests) {
      const response = await client.request(body)
      expect({ body, response }).toMatchObject({ response: { ok: false, error: { code: 'path_refused' } } })
    }
  })

  it('refuses a mount that descends through a symlink', async () => {
    const response = await client.request({ type: 'mount', tree: { link: { directory: { 'x.txt': { file: { contents: 'pwned', encoding: 'utf-8' } } } } } })
    expect(response).toMatchObject({ ok: false, error: { code: 'path_refused' } })
  })

  it('never touched anything outside', async () => {
    expect(await readFile(join(outside, 'sentinel.txt'), 'utf8')).toBe('keep')
    expect(await readdir(outside)).toEqual(['sentinel.txt'])
    expect(await readFile(join(root, 'inside.txt'), 'utf8')).toBe('in')
  })

  it('still serves paths inside, including "." and a symlink that stays inside', async () => {
    await symlink(join(root, 'dir'), join(root, 'inner-link'))
    await client.ok({ type: 'writeFile', path: 'inner-link/ok.txt', data: 'ok', encoding: 'utf-8' })
    expect(await readFile(join(root, 'dir', 'ok.txt'), 'utf8')).toBe('ok')
    const { entries } = LocalRuntimeResultSchemas.readdir.parse(await client.ok({ type: 'readdir', path: '.' }))
    expect(entries).toEqual(expect.arrayContaining([{ name: 'inner-link', kind: 'directory' }, { name: 'link', kind: 'file' }]))
    expect(await client.request({ type: 'rm', path: '.', recursive: true, force: true })).toMatchObject({ ok: false, error: { code: 'path_refused' } })
  })

  it('rm of a symlink pointing outside removes the link, never its target', async () => {
    await symlink(outside, join(root, 'dir', 'nested-link'))
    await client.ok({ type: 'rm', path: 'link', recursive: true, force: false })
    await client.ok({ type: 'rm', path: 'file-link', recursive: false, force: false })
    await client.ok({ type: 'rm', path: 'dangling', recursive: false, force: true })
    await client.ok({ type: 'rm', path: 'dir/nested-link', recursive: true, force: true })
    for (const gone of ['link', 'file-link', 'dangling', 'dir/nested-link']) {
      await expect(lstat(join(root, gone)), gone).rejects.toMatchObject({ code: 'ENOENT' })
    }
    expect(await readdir(outside)).toEqual(['sentinel.txt'])
    expect(await readFile(join(outside, 'sentinel.txt'), 'utf8')).toBe('keep')
    // and a missing link is the file system's own error
    expect(await client.request({ type: 'rm', path: 'link', recursive: false, force: false })).toMatchObject({ ok: false, error: { errno: 'ENOENT' } })
  })
})

describe('bad frames', () => {
  it('answers invalid frames with bad_request and keeps the connection', async () => {
    const frames = ['not json', '[]', 'null', '{"id":7,"type":"nope"}', '{"id":8,"type":"readFile","path":"a"}', '{"type":"open","project":"p"}', '{"id":9,"type":"open","project":"../x"}']
    for (const frame of frames) client.ws.send(frame)
    await client.ok({ type: 'readdir', path: '.' })
    const bad = client.lastResponses.filter((r) => !r.ok && r.error.code === 'bad_request')
    expect(bad.map((r) => r.id)).toEqual([-1, -1, -1, 7, 8, -1, 9])
  })

  it('closes the connection on a frame over 64 MiB', async () => {
    const big = await TestClient.connect(agent.url)
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)))
    big.ws.send('x'.repeat(64 * 1024 * 1024 + 1))
    expect(await closed).toBe(1009)
  })
})
