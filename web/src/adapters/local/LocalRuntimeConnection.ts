import {
  LocalRuntimeResultSchemas,
  LocalRuntimeServerMessageSchema,
  type LocalRuntimeEvent,
  type LocalRuntimeRequest,
} from '@slipway/shared'
import type { z } from 'zod'
import { LocalRuntimeError } from './LocalRuntimeError.ts'

/// The part of the WebSocket API the adapter uses; the browser's `WebSocket` and the `ws` package's both fit.
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open', listener: () => void): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void
  addEventListener(type: 'error', listener: (event: { message?: unknown }) => void): void
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

type RequestType = LocalRuntimeRequest['type']
type Results = typeof LocalRuntimeResultSchemas
export type RequestBody<T extends RequestType> = Omit<Extract<LocalRuntimeRequest, { type: T }>, 'id' | 'type'>
export type ResultOf<T extends RequestType> = T extends keyof Results ? z.infer<Results[T]> : unknown

export interface ConnectionHandlers {
  /// A pushed event (output, exit, watch, port, server-ready, error).
  event(event: LocalRuntimeEvent): void
  /// A frame that was not valid and was ignored.
  invalid(problem: string): void
  /// The socket closed although `close()` was not called. Every pending request has been rejected.
  lost(message: string): void
}

const OPEN = 1

interface Pending {
  readonly type: RequestType
  readonly path: string | undefined
  resolve(result: unknown): void
  reject(error: Error): void
}

/// Requests and responses over one agent socket: ids, time-outs, and a zod check of every incoming frame.
/// Whatever happens to the socket, no request is left waiting.
export class LocalRuntimeConnection {
  readonly #socket: WebSocketLike
  readonly #handlers: ConnectionHandlers
  readonly #timeoutMs: number
  readonly #pending = new Map<number, Pending>()
  #nextId = 1
  #closed = false

  constructor(socket: WebSocketLike, handlers: ConnectionHandlers, timeoutMs: number) {
    this.#socket = socket
    this.#handlers = handlers
    this.#timeoutMs = timeoutMs
    socket.addEventListener('message', ({ data }) => this.#receive(data))
    socket.addEventListener('close', ({ code, reason }) => this.#onClose(code, reason))
  }

  /// Sends one request; resolves with its result, checked against the shared result schema, or rejects with a
  /// `LocalRuntimeError`. `path` names the file the request is about, for error messages.
  request<T extends RequestType>(
    type: T,
    body: RequestBody<T>,
    options: { path?: string; timeoutMs?: number } = {},
  ): Promise<ResultOf<T>> {
    const { path } = options
    if (this.#closed || this.#socket.readyState !== OPEN) {
      return Promise.reject(
        new LocalRuntimeError(type, { code: 'disconnected', message: 'not connected to the local runtime', path }),
      )
    }
    const id = this.#nextId++
    return new Promise<ResultOf<T>>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new LocalRuntimeError(type, { code: 'timeout', message: `no answer within ${timeoutMs} ms`, path }))
      }, timeoutMs)
      this.#pending.set(id, {
        type,
        path,
        resolve: (result) => {
          clearTimeout(timer)
          resolve(result as ResultOf<T>)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.#socket.send(JSON.stringify({ type, ...body, id }))
    })
  }

  /// Closes the socket on purpose; pending requests reject with `disconnected`, and `lost` is not called.
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#rejectAll('the connection was closed')
    this.#socket.close(1000, 'teardown')
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.#handlers.invalid('a binary frame')
      return
    }
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      this.#handlers.invalid(`a frame that is not JSON: ${data.slice(0, 200)}`)
      return
    }
    const parsed = LocalRuntimeServerMessageSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      this.#handlers.invalid(
        `an invalid frame (${issue?.path.join('.') || 'frame'}: ${issue?.message}): ${data.slice(0, 200)}`,
      )
      return
    }
    const message = parsed.data
    if (message.type !== 'response') {
      this.#handlers.event(message)
      return
    }
    const pending = this.#pending.get(message.id)
    if (!pending) {
      // A request that timed out, or the agent's answer to a frame it could not read (id -1).
      if (!message.ok) this.#handlers.invalid(`an error for request ${message.id}: ${message.error.message}`)
      return
    }
    this.#pending.delete(message.id)
    if (!message.ok) {
      pending.reject(new LocalRuntimeError(pending.type, { ...message.error, path: pending.path }))
      return
    }
    const schema = (LocalRuntimeResultSchemas as Partial<Record<RequestType, z.ZodType>>)[pending.type]
    const result = schema ? schema.safeParse(message.result) : { success: true as const, data: message.result }
    if (result.success) {
      pending.resolve(result.data)
    } else {
      const problem = `unexpected result ${JSON.stringify(message.result)?.slice(0, 200)}`
      pending.reject(
        new LocalRuntimeError(pending.type, { code: 'invalid_response', message: problem, path: pending.path }),
      )
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return
    this.#closed = true
    const message = `Lost the connection to the local runtime (close code ${code}${reason ? `: ${reason}` : ''})`
    this.#rejectAll(message)
    this.#handlers.lost(message)
  }

  #rejectAll(message: string): void {
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const { type, path, reject } of pending) {
      reject(new LocalRuntimeError(type, { code: 'disconnected', message, path }))
    }
  }
}
