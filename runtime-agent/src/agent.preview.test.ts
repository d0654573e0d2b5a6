import { mkdtemp, rm } from 'node:fs/promises'
import { get, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalRuntimeResultSchemas, type LocalRuntimeEvent } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startAgent, type RunningAgent } from './agent.ts'
import { listListenSockets } from './proc.ts'
import { alive, portFree, TestClient } from './test-client.ts'

type PortEvent = Extract<LocalRuntimeEvent, { type: 'port' }>

// The app below needs `ws`; it runs in the project folder, so it finds it through NODE_PATH.
const NODE_PATH = fileURLToPath(new URL('../node_modules', import.meta.url))
const APP = `
const http = require('http')
const { WebSocketServer } = require('ws')
const server = http.createServer((req, res) => {
  if (req.url === '/stream') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('first;')
    setTimeout(() => res.end('second'), 600)
    return
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-app': 'yes', 'cross-origin-resource-policy': 'same-origin', 'cross-origin-opener-policy': 'same-origin-allow-popups' })
  res.end('app:' + req.url + ':' + req.headers.host)
})
new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (m) => ws.send('echo:' + m)))
server.listen(0, process.env.HOST || '127.0.0.1', () => console.log('PORT=' + server.address().port))
`

let dataDir: string
let agent: RunningAgent
let client: TestClient

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-preview-'))
  agent = await startAgent({ port: 0, dataDir })
  client = await TestClient.connect(agent.url)
  await client.ok({ type: 'open', project: 'preview' })
})

afterAll(async () => {
  expect(client.invalid).toEqual([])
  await client.close()
  await agent.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function startApp(c: TestClient, env: Record<string, string> = {}): Promise<{ pid: number; port: number; url: string }> {
  const { pid } = LocalRuntimeResultSchemas.spawn.parse(
    await c.ok({ type: 'spawn', command: process.execPath, args: ['-e', APP], env: { NODE_PATH, ...env } }),
  )
  await c.waitFor((e) => e.type === 'output' && e.pid === pid && /PORT=\d+/.test(c.output(pid)))
  const port = Number(/PORT=(\d+)/.exec(c.output(pid))![1])
  const open = (await c.waitFor((e) => e.type === 'port' && e.port === port && e.state === 'open')) as PortEvent
  return { pid, port, url: open.url }
}

function firstChunkAndEnd(url: string): Promise<{ first: string; firstAt: number; endAt: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    get(url, (res) => {
      let body = ''
      let first = ''
      let firstAt = 0
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (!first) [first, firstAt] = [chunk, Date.now() - started]
        body += chunk
      })
      res.on('end', () => resolve({ first, firstAt, endAt: Date.now() - started, body }))
    }).on('error', reject)
  })
}

describe('ports and previews', () => {
  it('sees a server listen, proxies it with the isolation headers, then sees it close', async () => {
    const { pid, port, url } = await startApp(client)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const ready = await client.waitFor((e) => e.type === 'server-ready' && e.port === port)
    expect(ready).toEqual({ type: 'server-ready', port, url })
    const listening = client.events.find((e) => e.type === 'output' && e.pid === pid && e.data.includes('PORT='))!
    const opened = client.events.find((e) => e.type === 'port' && e.port === port)!
    const at = (e: LocalRuntimeEvent) => client.arrivals.get(e)!
    console.log(`listening → port open ${(at(opened) - at(listening)).toFixed(0)} ms; port open → server-ready ${(at(ready) - at(opened)).toFixed(0)} ms`)

    const response = await fetch(`${url}/hello?x=1`)
    expect(await response.text()).toBe(`app:/hello?x=1:${new URL(url).host}`)
    // the app's own CORP is kept (one that sent none gets cross-origin: proxy.test.ts)
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups')
    expect(response.headers.get('x-app')).toBe('yes')

    const streamed = await firstChunkAndEnd(`${url}/stream`)
    expect(streamed.body).toBe('first;second')
    expect(streamed.first).toBe('first;')
    expect(streamed.endAt - streamed.firstAt).toBeGreaterThan(400)

    const ws = new WebSocket(`${url.replace('http:', 'ws:')}/socket`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const echoed = new Promise<string>((resolve) => ws.once('message', (m) => resolve(m.toString())))
    ws.send('ping')
    expect(await echoed).toBe('echo:ping')

    const proxyPort = Number(new URL(url).port)
    const rebound = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: proxyPort, headers: { host: `attacker.example:${proxyPort}` } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end(),
    )
    expect(rebound).toBe(403)
    expect((await listListenSockets()).filter((s) => s.port === proxyPort).map((s) => s.address)).toEqual(['127.0.0.1'])

    const wsClosed = new Promise((resolve) => ws.once('close', resolve))
    await client.ok({ type: 'kill', pid })
    await client.waitFor((e) => e.type === 'port' && e.port === port && e.state === 'close')
    await wsClosed
    expect(await portFree(port)).toBe(true)
    expect(await portFree(proxyPort)).toBe(true)
  })

  it('finds servers on the IPv6 wildcard and in a terminal shell job', async () => {
    const wildcard = await startApp(client, { HOST: '::' })
    expect(await (await fetch(`${wildcard.url}/`)).text()).toMatch(/^app:\//)

    const { pid: shell } = LocalRuntimeResultSchemas.spawn.parse(
      await client.ok({ type: 'spawn', command: 'bash', args: ['--noprofile', '--norc', '-i'], terminal: { cols: 120, rows: 30 }, env: { NODE_PATH } }),
    )
    await client.ok({ type: 'writeFile', path: 'app.cjs', data: APP, encoding: 'utf-8' })
    await client.ok({ type: 'input', pid: shell, data: `'${process.execPath}' app.cjs &\n` })
    await client.waitFor((e) => e.type === 'output' && e.pid === shell && /PORT=\d+/.test(client.output(shell)))
    const jobPort = Number(/PORT=(\d+)/.exec(client.output(shell))![1])
    const open = (await client.waitFor((e) => e.type === 'port' && e.port === jobPort && e.state === 'open')) as PortEvent
    await client.waitFor((e) => e.type === 'server-ready' && e.port === jobPort)

    await client.ok({ type: 'teardown' })
    for (const pid of [wildcard.pid, shell]) expect(alive(pid)).toBe(false)
    for (const port of [wildcard.port, jobPort, Number(new URL(open.url).port), Number(new URL(wildcard.url).port)]) {
      expect(await portFree(port)).toBe(true)
    }
    expect(client.events.flatMap((e) => (e.type === 'port' && e.state === 'close' ? [e.port] : []))).toEqual(
      expect.arrayContaining([wildcard.port, jobPort]),
    )
    await client.ok({ type: 'readdir', path: '.' })
  })

  it('kills everything a connection started when its socket closes', async () => {
    const other = await TestClient.connect(agent.url)
    await other.ok({ type: 'open', project: 'preview' })
    const { pid, port } = await startApp(other)
    await other.close()
    const deadline = Date.now() + 5000
    while ((alive(pid) || !(await portFree(port))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(alive(pid)).toBe(false)
    expect(await portFree(port)).toBe(true)
  })
})
