import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { LOCAL_RUNTIME_PATH } from '@slipway/shared'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { authorize } from './auth.ts'
import { RuntimeConnection } from './connection.ts'
import { ProjectFolders } from './folders.ts'
import { createToken, DEFAULT_PORT, type AgentOptions } from './options.ts'

export interface StartAgentOptions extends Partial<AgentOptions> {
  dataDir: string
  /// Port poll interval (ms) for the connections' port watchers.
  portIntervalMs?: number
}

export interface RunningAgent {
  /// `ws://127.0.0.1:<port>/runtime?token=<token>`
  url: string
  token: string
  port: number
  /// Tears down every connection (processes, watches, previews), then stops listening.
  close(): Promise<void>
}

/// Frames larger than this are refused (the socket is closed with 1009).
export const MAX_FRAME_BYTES = 64 * 1024 * 1024

/// Starts the local runtime agent on 127.0.0.1 only. Every HTTP request and WebSocket upgrade needs the token and,
/// when it carries an `Origin`, one of `origins` (else 403, or 401 for the token); only `LOCAL_RUNTIME_PATH`
/// upgrades. Without `origins` no browser page may connect at all; without `token`, a fresh one.
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const token = options.token ?? createToken()
  const origins = new Set(options.origins ?? [])
  const connections = new Set<RuntimeConnection>()
  const folders = new ProjectFolders(options.dataDir)
  const sockets = new Set<Socket>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })

  const server = createServer(function agentRequest(req: IncomingMessage, res: ServerResponse) {
    const auth = authorize(req, token, origins)
    if (!auth.ok) return void res.writeHead(auth.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${auth.reason}\n`)
    const found = pathOf(req) === LOCAL_RUNTIME_PATH
    res.writeHead(found ? 426 : 404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(found ? 'Slipway local runtime: connect with a WebSocket\n' : 'not found\n')
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('upgrade', function agentUpgrade(req: IncomingMessage, socket: Socket, head: Buffer) {
    const auth = authorize(req, token, origins)
    if (!auth.ok) return refuseUpgrade(socket, auth.status, auth.reason)
    if (pathOf(req) !== LOCAL_RUNTIME_PATH) return refuseUpgrade(socket, 404, 'not found')
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req.headers.origin))
  })

  function accept(ws: WebSocket, origin: string | undefined): void {
    const connection: RuntimeConnection = new RuntimeConnection({
      folders,
      origin,
      portIntervalMs: options.portIntervalMs,
      channel: {
        send: (message) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message), () => connection.drained())
        },
        buffered: () => ws.bufferedAmount,
      },
    })
    connections.add(connection)
    ws.on('message', (data: RawData) => connection.handleFrame(textOf(data)))
    ws.on('error', () => {})
    ws.once('close', () => {
      connections.delete(connection)
      void connection.close()
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `ws://127.0.0.1:${port}${LOCAL_RUNTIME_PATH}?token=${token}`,
    token,
    port,
    async close() {
      const closing = [...connections].map((c) => c.close())
      connections.clear()
      for (const client of wss.clients) client.terminate()
      await Promise.all(closing)
      await new Promise<void>((resolve) => {
        wss.close()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://agent').pathname
}

function refuseUpgrade(socket: Socket, status: 401 | 403 | 404, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status]
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`)
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}
