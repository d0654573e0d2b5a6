import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { PREVIEW_CONSOLE_PATH, SESSION_COOKIE_NAMES } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { PREVIEW_CONSOLE_TAG } from './previewConsole.ts'
import { PREVIEW_HEADERS, startPreviewProxy, withoutSessionCookies, type PreviewProxy } from './proxy.ts'

// An app with an HTML page, a script, an HTML page it always gzips, a page in latin1, a page and a script with a
// CORP of their own, and a WebSocket endpoint (Vite's HMR).
let app: Server
let proxy: PreviewProxy
const seen: IncomingHttpHeaders[] = []

beforeAll(async () => {
  app = createServer((req, res) => {
    seen.push(req.headers)
    if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end('console.log(1)')
    if (req.url === '/own-corp.js') {
      return void res.writeHead(200, { 'content-type': 'text/javascript', 'cross-origin-resource-policy': 'same-origin' }).end('secret()')
    }
    if (req.url === '/own-corp') {
      return void res.writeHead(200, { 'content-type': 'text/html', 'cross-origin-resource-policy': 'same-site' }).end('<head></head>')
    }
    if (req.url === '/gz') {
      return void res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync('<head></head>zipped'))
    }
    if (req.url === '/latin1') {
      return void res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from([0x3c, 0x68, 0x65, 0x61, 0x64, 0x3e, 0xe9, 0xe8]))
    }
    if (req.url === '/moved') return void res.writeHead(302, { location: '/' }).end()
    const page = Buffer.from('<html><head></head><body>héllo</body></html>')
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length), 'set-cookie': ['a=1', 'b=2'] })
    res.end(page)
  })
  new WebSocketServer({ server: app }).on('connection', (ws, req) => {
    seen.push(req.headers)
    ws.close()
  })
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  proxy = await startPreviewProxy({ host: '127.0.0.1', port: (app.address() as AddressInfo).port }, { parentOrigin: 'http://localhost:5173' })
  await proxy.ready
})

afterAll(async () => {
  await proxy.close()
  await new Promise((r) => app.close(r))
})

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, path, headers: { host: `127.0.0.1:${proxy.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

const frame = { 'sec-fetch-dest': 'iframe', 'accept-encoding': 'gzip, br', accept: 'text/html' }

it('a page loaded in the preview frame gets the console script first, with a correct length and the preview headers', async () => {
  const res = await get('/', frame)
  const body = res.body.toString('utf8')
  expect(body.startsWith(`<html><head>${PREVIEW_CONSOLE_TAG}</head>`)).toBe(true)
  expect(Number(res.headers['content-length'])).toBe(res.body.length)
  expect(res.headers['cross-origin-embedder-policy']).toBe(PREVIEW_HEADERS['cross-origin-embedder-policy'])
  expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
  expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2'])
  // asked for an uncompressed body; the Host stays the preview's own
  expect(seen.at(-1)!['accept-encoding']).toBeUndefined()
  expect(seen.at(-1)!.host).toBe(`127.0.0.1:${proxy.port}`)
})

it('also for a page opened in a tab, and for clients that send no fetch metadata but accept HTML', async () => {
  expect((await get('/', { 'sec-fetch-dest': 'document' })).body.toString()).toContain(PREVIEW_CONSOLE_TAG)
  expect((await get('/', { accept: 'text/html,*/*' })).body.toString()).toContain(PREVIEW_CONSOLE_TAG)
})

it('leaves everything else as the app sent it', async () => {
  expect((await get('/', { 'sec-fetch-dest': 'empty' })).body.toString()).not.toContain(PREVIEW_CONSOLE_TAG) // fetch()
  expect((await get('/app.js', frame)).body.toString()).toBe('console.log(1)')
  const zipped = await get('/gz', frame)
  expect(zipped.headers['content-encoding']).toBe('gzip')
  expect(zipped.body).toEqual(gzipSync('<head></head>zipped'))
  const moved = await get('/moved', frame)
  expect(moved.status).toBe(302)
  expect(moved.headers.location).toBe('/')
})

it('keeps the bytes of pages in other encodings', async () => {
  const res = await get('/latin1', frame)
  expect(res.body).toEqual(Buffer.concat([Buffer.from(`<head>${PREVIEW_CONSOLE_TAG}`), Buffer.from([0xe9, 0xe8])]))
})

it('serves the console script on the preview origin, posting only to the IDE origin', async () => {
  const res = await get(PREVIEW_CONSOLE_PATH)
  expect(res.status).toBe(200)
  expect(res.headers['content-type']).toMatch(/^text\/javascript/)
  expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
  expect(res.body.toString()).toContain('"http://localhost:5173"')
})

it('a page whose app is gone is the proxy’s 502', async () => {
  const other = await startPreviewProxy({ host: '127.0.0.1', port: 1 })
  try {
    const res = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: other.port, path: '/', headers: { host: `127.0.0.1:${other.port}`, ...frame } }, (r) => {
        r.resume()
        resolve(r.statusCode!)
      })
        .on('error', reject)
        .end()
    })
    expect(res).toBe(502)
  } finally {
    await other.close()
  }
})

describe('CORP', () => {
  it('an app that sent none gets cross-origin, on pages and on everything else', async () => {
    expect((await get('/', frame)).headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect((await get('/app.js')).headers['cross-origin-resource-policy']).toBe('cross-origin')
  })

  it("keeps the app's own policy, on pages and on everything else", async () => {
    const page = await get('/own-corp', frame)
    expect(page.body.toString()).toContain(PREVIEW_CONSOLE_TAG)
    expect(page.headers['cross-origin-resource-policy']).toBe('same-site')
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp')
    const script = await get('/own-corp.js', { 'sec-fetch-dest': 'script' })
    expect(script.headers['cross-origin-resource-policy']).toBe('same-origin')
    expect(script.headers['cross-origin-embedder-policy']).toBe('require-corp')
  })
})

describe("Slipway's session cookie", () => {
  const cookie = `${SESSION_COOKIE_NAMES.http}=ide-session; theme=dark; ${SESSION_COOKIE_NAMES.https}=ide-session-2; sid=app=1`

  it.each([
    ['a page', frame],
    ['a fetch', { 'sec-fetch-dest': 'empty' }],
  ])('never reaches the app on %s; the app keeps its own cookies', async (_label, headers) => {
    await get('/', { ...headers, cookie })
    expect(seen.at(-1)!.cookie).toBe('theme=dark; sid=app=1')
    await get('/app.js', { ...headers, cookie: `${SESSION_COOKIE_NAMES.http}=ide-session` })
    expect(seen.at(-1)!).not.toHaveProperty('cookie')
  })

  it('never reaches the app on a WebSocket upgrade', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/hmr`, { headers: { cookie } })
    await new Promise((resolve, reject) => {
      ws.once('close', resolve)
      ws.once('error', reject)
    })
    expect(seen.at(-1)!.upgrade).toBe('websocket')
    expect(seen.at(-1)!.cookie).toBe('theme=dark; sid=app=1')
  })

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['slipway_session=x', undefined],
    ['a=1;slipway_session=x;  b=2', 'a=1; b=2'],
    ['__Host-slipway_session=x', undefined],
    // only the exact names: an app's look-alike cookies are its own
    ['slipway_session_app=1; xslipway_session=2; __host-slipway_session=3', 'slipway_session_app=1; xslipway_session=2; __host-slipway_session=3'],
    ['flag; a=1', 'flag; a=1'],
  ])('withoutSessionCookies(%j) is %j', (header, expected) => {
    expect(withoutSessionCookies(header)).toBe(expected)
  })
})
