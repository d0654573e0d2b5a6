import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { PREVIEW_CONSOLE_PATH, SESSION_COOKIE_NAMES, mediaType } from '@slipway/shared'
import { createProxyServer } from 'http-proxy-3'
import { injectPreviewConsole, previewConsoleScript } from './previewConsole.ts'

/// A preview origin of its own for one app port: `http://127.0.0.1:<proxy port>` forwards HTTP and WebSocket upgrades
/// (Vite's HMR) to the app, streaming both ways, and marks every response embeddable by a cross-origin-isolated page.
/// HTML documents get the preview console script (previewConsole.ts) loaded first, served by the proxy itself at
/// `PREVIEW_CONSOLE_PATH`. Slipway's session cookie never reaches the app (`withoutSessionCookies`).
export interface PreviewProxy {
  readonly url: string
  readonly port: number
  /// Resolves once an HTTP request through the proxy got any answer from the app; rejects if closed first.
  readonly ready: Promise<void>
  close(): Promise<void>
}

/// Headers the proxy's own responses carry: the IDE frames the preview under `Cross-Origin-Embedder-Policy:
/// require-corp`, which needs both. On the app's responses see `withPreviewHeaders`.
export const PREVIEW_HEADERS = {
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-embedder-policy': 'require-corp',
} as const

/// Marks an app's response headers (lower-cased, as Node gives them) embeddable, in place: COEP is always
/// `require-corp`; CORP is `cross-origin` only when the app sent none, so an app's own `same-origin` or `same-site`
/// keeps protecting what it chose to protect. `Cross-Origin-Opener-Policy` passes through.
export function withPreviewHeaders<T extends IncomingHttpHeaders | OutgoingHttpHeaders>(headers: T): T {
  headers['cross-origin-embedder-policy'] = PREVIEW_HEADERS['cross-origin-embedder-policy']
  headers['cross-origin-resource-policy'] ??= PREVIEW_HEADERS['cross-origin-resource-policy']
  return headers
}

const SESSION_COOKIES: ReadonlySet<string> = new Set(Object.values(SESSION_COOKIE_NAMES))

/// A `Cookie` header without Slipway's session cookies (both names, whichever the IDE's origin uses), keeping the
/// app's own cookies in their order; undefined when nothing is left. Cookies are not scoped by port, so a browser
/// sends an IDE served from 127.0.0.1 or localhost its session cookie with every request to a preview port too.
export function withoutSessionCookies(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const kept = header.split(';').filter((pair) => {
    const eq = pair.indexOf('=')
    const name = (eq >= 0 ? pair.slice(0, eq) : pair).trim()
    return name !== '' && !SESSION_COOKIES.has(name)
  })
  return kept.length > 0 ? kept.map((pair) => pair.trim()).join('; ') : undefined
}

function stripSessionCookies(req: IncomingMessage): void {
  const cookie = withoutSessionCookies(req.headers.cookie)
  if (cookie === undefined) delete req.headers.cookie
  else req.headers.cookie = cookie
}

export interface PreviewProxyOptions {
  /// The IDE origin that frames the preview: the only one the console script posts to (any, when unknown).
  readonly parentOrigin?: string | undefined
}

// Hop-by-hop headers: about one connection, never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']

// Marks the proxy's own 502, so an app answering 502 itself still counts as ready.
const UNREACHABLE = 'x-slipway-preview-unreachable'
const PROBE_INTERVAL_MS = 250
const PROBE_TIMEOUT_MS = 2000

/// Starts a proxy on 127.0.0.1 (an ephemeral port) to `target`. Requests must name the proxy itself as `Host`
/// (127.0.0.1 or localhost with its port), which keeps DNS-rebinding pages out; the `Host` is passed on unchanged,
/// so apps build their URLs on the preview origin.
export async function startPreviewProxy(target: { host: string; port: number }, options: PreviewProxyOptions = {}): Promise<PreviewProxy> {
  const agent = new Agent({ keepAlive: true })
  const consoleScript = previewConsoleScript(options.parentOrigin)
  const proxy = createProxyServer({ target: { host: target.host, port: target.port }, agent, ws: true })
  const sockets = new Set<Socket>()
  let allowedHosts = new Set<string>()

  proxy.on('proxyRes', (proxyRes) => {
    withPreviewHeaders(proxyRes.headers)
  })
  const unreachable = (res: ServerResponse, error: Error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', [UNREACHABLE]: '1', ...PREVIEW_HEADERS })
    res.end(`Slipway preview: the app on port ${target.port} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message})\n`)
  }
  proxy.on('error', (error, _req, res) => {
    if (isServerResponse(res)) unreachable(res, error)
    else (res as Socket | undefined)?.destroy()
  })

  /// A page load: fetched from the app here rather than streamed by the proxy, so an HTML answer can get the console
  /// script. Asks for an uncompressed body; anything that is not HTML is streamed through untouched.
  const forwardDocument = (req: IncomingMessage, res: ServerResponse) => {
    const headers: IncomingHttpHeaders = { ...req.headers }
    delete headers['accept-encoding']
    for (const h of HOP_BY_HOP) delete headers[h]
    const upstream = request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent }, (up) => {
      const out: OutgoingHttpHeaders = withPreviewHeaders({ ...up.headers })
      for (const h of HOP_BY_HOP) delete out[h]
      const encoding = String(up.headers['content-encoding'] ?? 'identity').toLowerCase()
      if (req.method === 'HEAD' || !isHtml(up.headers['content-type']) || encoding !== 'identity') {
        res.writeHead(up.statusCode ?? 502, out)
        up.pipe(res)
        return
      }
      const chunks: Buffer[] = []
      up.on('data', (chunk: Buffer) => chunks.push(chunk))
      up.on('end', () => {
        // latin1 maps bytes to characters one to one, so the page's own encoding passes through unchanged.
        const body = Buffer.from(injectPreviewConsole(Buffer.concat(chunks).toString('latin1')), 'latin1')
        out['content-length'] = String(body.length)
        res.writeHead(up.statusCode ?? 200, out).end(body)
      })
      up.on('error', () => res.destroy())
    })
    upstream.on('error', (error) => unreachable(res, error))
    req.pipe(upstream)
  }

  const server = createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Slipway preview: unexpected Host\n')
      return
    }
    stripSessionCookies(req)
    const path = (req.url ?? '/').split('?')[0]
    if (path === PREVIEW_CONSOLE_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', ...PREVIEW_HEADERS })
      res.end(req.method === 'HEAD' ? undefined : consoleScript)
      return
    }
    if (isDocumentRequest(req)) forwardDocument(req, res)
    else proxy.web(req, res)
  })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    stripSessionCookies(req)
    proxy.ws(req, socket, head)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const url = `http://127.0.0.1:${port}`

  let closed = false
  let stopProbe: (error: Error) => void = () => {}
  const ready = new Promise<void>((resolve, reject) => {
    stopProbe = reject
    const attempt = () => {
      if (closed) return
      probe(port).then(resolve, () => {
        if (!closed) setTimeout(attempt, PROBE_INTERVAL_MS).unref()
      })
    }
    attempt()
  })
  ready.catch(() => {})

  return {
    url,
    port,
    ready,
    async close() {
      if (closed) return
      closed = true
      stopProbe(new Error('preview closed'))
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      agent.destroy()
    },
  }
}

function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume()
      if (res.headers[UNREACHABLE]) reject(new Error('app not answering'))
      else resolve()
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/// A navigation (the preview frame, or the page opened in a tab), not a script, style or fetch.
export function isDocumentRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const dest = req.headers['sec-fetch-dest']
  if (dest !== undefined) return dest === 'iframe' || dest === 'document' || dest === 'frame'
  return /\btext\/html\b/i.test(req.headers.accept ?? '')
}

function isHtml(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'text/html'
}

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === 'object' && value !== null && 'writeHead' in value
}
