import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createProxyServer } from 'http-proxy-3'

/// A preview origin of its own for one app port: `http://127.0.0.1:<proxy port>` forwards HTTP and WebSocket upgrades
/// (Vite's HMR) to the app, streaming both ways, and marks every response embeddable by a cross-origin-isolated page.
export interface PreviewProxy {
  readonly url: string
  readonly port: number
  /// Resolves once an HTTP request through the proxy got any answer from the app; rejects if closed first.
  readonly ready: Promise<void>
  close(): Promise<void>
}

/// Headers set on every proxied response, replacing the app's own: the IDE frames the preview under
/// `Cross-Origin-Embedder-Policy: require-corp`, which needs both. `Cross-Origin-Opener-Policy` passes through.
export const PREVIEW_HEADERS = {
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-embedder-policy': 'require-corp',
} as const

// Marks the proxy's own 502, so an app answering 502 itself still counts as ready.
const UNREACHABLE = 'x-slipway-preview-unreachable'
const PROBE_INTERVAL_MS = 250
const PROBE_TIMEOUT_MS = 2000

/// Starts a proxy on 127.0.0.1 (an ephemeral port) to `target`. Requests must name the proxy itself as `Host`
/// (127.0.0.1 or localhost with its port), which keeps DNS-rebinding pages out; the `Host` is passed on unchanged,
/// so apps build their URLs on the preview origin.
export async function startPreviewProxy(target: { host: string; port: number }): Promise<PreviewProxy> {
  const agent = new Agent({ keepAlive: true })
  const proxy = createProxyServer({ target: { host: target.host, port: target.port }, agent, ws: true })
  const sockets = new Set<Socket>()
  let allowedHosts = new Set<string>()

  proxy.on('proxyRes', (proxyRes) => {
    Object.assign(proxyRes.headers, PREVIEW_HEADERS)
  })
  proxy.on('error', (error, _req, res) => {
    if (isServerResponse(res)) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', [UNREACHABLE]: '1', ...PREVIEW_HEADERS })
      res.end(`Slipway preview: the app on port ${target.port} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message})\n`)
    } else {
      ;(res as Socket | undefined)?.destroy()
    }
  })

  const server = createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Slipway preview: unexpected Host\n')
      return
    }
    proxy.web(req, res)
  })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
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

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === 'object' && value !== null && 'writeHead' in value
}
