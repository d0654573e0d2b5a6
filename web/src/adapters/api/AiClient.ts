import { AI_API, AiStatusSchema, AiStreamEventSchema, ErrorBodySchema, JSON_CONTENT_TYPE } from '@slipway/shared'
import type { AiMessagesRequest, ErrorCode } from '@slipway/shared'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { AiEvent, AiPort, AiStatusResult } from '../../core/ai/AiPort.ts'
import type { TurnError } from '../../core/ai/conversation.ts'
import type { FetchLike } from './health.ts'

/// Bytes one server-sent event may take while it is parsed (a tool call's input arrives whole in one event; the
/// model's output is capped far below this).
const MAX_EVENT_CHARS = 4 * 1024 * 1024

/// The assistant's HTTP client: `GET /api/ai/status` and `POST /api/ai/messages`, whose answer is a stream of
/// server-sent events parsed with eventsource-parser and checked one by one with `AiStreamEventSchema`. Sent like
/// every API call (client.ts): same-origin credentials, JSON content type (the CSRF guard wants it), no caching.
export class AiClient implements AiPort {
  constructor(private readonly fetchFn: FetchLike) {}

  async status(signal?: AbortSignal): Promise<AiStatusResult> {
    let res: Response
    try {
      res = await this.fetchFn(AI_API.status, { credentials: 'same-origin', cache: 'no-store', headers: { accept: JSON_CONTENT_TYPE }, ...(signal ? { signal } : {}) })
    } catch (err) {
      return { ok: false, error: { code: 'network', message: `The server could not be reached: ${messageOf(err)}` } }
    }
    if (!res.ok) return { ok: false, error: await errorOf(res) }
    try {
      const parsed = AiStatusSchema.safeParse(await res.json())
      if (parsed.success) return { ok: true, status: parsed.data }
    } catch {
      // Not JSON: said below.
    }
    return { ok: false, error: { code: 'bad_stream', message: 'Unexpected answer from the server' } }
  }

  async *messages(request: AiMessagesRequest, signal: AbortSignal): AsyncGenerator<AiEvent> {
    let res: Response
    try {
      res = await this.fetchFn(AI_API.messages, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': JSON_CONTENT_TYPE, accept: 'text/event-stream' },
        body: JSON.stringify(request),
        signal,
      })
    } catch (err) {
      if (!signal.aborted) yield { type: 'error', code: 'network', message: `The server could not be reached: ${messageOf(err)}` }
      return
    }
    if (!res.ok) {
      yield { type: 'error', ...(await errorOf(res)) }
      return
    }
    if (!res.body) {
      yield { type: 'error', code: 'bad_stream', message: 'The server sent no answer.' }
      return
    }
    yield* readEvents(res.body, signal)
  }
}

/// The events of an SSE body, each checked with the wire schema. A broken connection, an event that is not the
/// contract's or a stream that ends without `done` or `error` ends with an `error` event; what came before stands.
export async function* readEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<AiEvent> {
  const reader = body
    // TextDecoderStream takes any BufferSource, which TypeScript's DOM types cannot match to a Uint8Array stream.
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream({ onError: 'terminate', maxBufferSize: MAX_EVENT_CHARS }))
    .getReader()
  try {
    for (;;) {
      let next
      try {
        next = await reader.read()
      } catch (err) {
        if (!signal.aborted) yield { type: 'error', code: 'network', message: `The answer broke off: ${messageOf(err)}` }
        return
      }
      if (next.done) break
      let event
      try {
        event = AiStreamEventSchema.safeParse(JSON.parse(next.value.data))
      } catch {
        event = undefined
      }
      if (!event?.success) {
        yield { type: 'error', code: 'bad_stream', message: 'The server sent an event the assistant does not understand.' }
        return
      }
      yield event.data
      if (event.data.type === 'done' || event.data.type === 'error') return
    }
    if (!signal.aborted) yield { type: 'error', code: 'network', message: 'The answer ended before it was complete.' }
  } finally {
    // Whoever stops reading (Stop, an error) closes the stream, which ends the request and the upstream call.
    await reader.cancel().catch(() => {})
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/// What an error response says: the API's error shape, else a code for the status; `Retry-After` on a 429.
async function errorOf(res: Response): Promise<TurnError & { retryAfterSeconds?: number }> {
  let code: TurnError['code'] = codeForStatus(res.status)
  let message = `The server answered HTTP ${res.status}.`
  try {
    const body = ErrorBodySchema.parse(await res.json())
    code = body.error.code
    message = body.error.message
  } catch {
    // Not our error shape (a proxy, an outage page): keep the status.
  }
  const retry = Number(res.headers.get('retry-after'))
  return { code, message, ...(res.status === 429 && Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}) }
}

/// A status without our error body (a proxy in between, an outage page).
function codeForStatus(status: number): ErrorCode {
  const known: Record<number, ErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 413: 'payload_too_large', 429: 'rate_limited' }
  return known[status] ?? (status >= 500 ? 'ai_upstream_error' : 'bad_request')
}
