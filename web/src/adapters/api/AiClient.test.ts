import type { AiMessagesRequest, AiStreamEvent } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import type { AiEvent } from '../../core/ai/AiPort.ts'
import { AiClient, readEvents } from './AiClient.ts'

const usage = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }
const EVENTS: AiStreamEvent[] = [
  { type: 'start', model: 'claude-test' },
  { type: 'text', text: 'Grüße 😀, ' },
  { type: 'text', text: 'line\nbreak' },
  { type: 'tool_start', id: 'toolu_1', name: 'read_file' },
  { type: 'tool', id: 'toolu_1', name: 'read_file', input: { path: 'src/ä.ts' } },
  { type: 'done', stop_reason: 'tool_use', usage, budget: { used: 15, limit: 1000, resetsAt: '2026-01-02T00:00:00.000Z' } },
]
const sse = (events: unknown[]) => events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join('')

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!)
      else controller.close()
    },
    cancel: () => onCancel?.(),
  })
}

async function collect(events: AsyncIterable<AiEvent>): Promise<AiEvent[]> {
  const out: AiEvent[] = []
  for await (const e of events) out.push(e)
  return out
}

const never = new AbortController().signal

describe('readEvents', () => {
  test('the same events whatever the chunking, even split inside a UTF-8 character or a line end', async () => {
    const bytes = new TextEncoder().encode(sse(EVENTS).replaceAll('\n', '\r\n'))
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const chunks = []
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size))
      expect(await collect(readEvents(streamOf(chunks), never)), `chunks of ${size}`).toEqual(EVENTS)
    }
  })

  test('a stream that ends without done or error ends with an error; what came before stands', async () => {
    const events = await collect(readEvents(streamOf([new TextEncoder().encode(sse(EVENTS.slice(0, 2)))]), never))
    expect(events).toEqual([...EVENTS.slice(0, 2), { type: 'error', code: 'network', message: 'The answer ended before it was complete.' }])
  })

  test('an event outside the contract ends the stream with bad_stream', async () => {
    const body = sse([EVENTS[0], { type: 'text', text: 42 }, EVENTS[1]])
    const events = await collect(readEvents(streamOf([new TextEncoder().encode(body)]), never))
    expect(events).toEqual([EVENTS[0], { type: 'error', code: 'bad_stream', message: 'The server sent an event the assistant does not understand.' }])
  })

  test('a server error event is the last event', async () => {
    const error = { type: 'error', code: 'ai_upstream_error', message: 'The stream broke' }
    const events = await collect(readEvents(streamOf([new TextEncoder().encode(sse([EVENTS[0], EVENTS[1], error, EVENTS[2]]))]), never))
    expect(events).toEqual([EVENTS[0], EVENTS[1], error])
  })

  test('a connection that breaks midway ends with a network error', async () => {
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(new TextEncoder().encode(sse([EVENTS[0]])))
        } else controller.error(new TypeError('network error'))
      },
    })
    expect(await collect(readEvents(body, never))).toEqual([EVENTS[0], { type: 'error', code: 'network', message: 'The answer broke off: network error' }])
  })

  test('a reader that stops early cancels the body (which ends the request upstream)', async () => {
    let cancelled = false
    // A stream still open upstream: its data, then nothing more for now.
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode(sse(EVENTS))),
      cancel: () => void (cancelled = true),
    })
    for await (const e of readEvents(body, never)) if (e.type === 'text') break
    // The cancel travels back through the decoder and parser streams.
    await new Promise((r) => setTimeout(r, 10))
    expect(cancelled).toBe(true)
  })
})

describe('AiClient', () => {
  const request: AiMessagesRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }

  test('posts JSON with the session cookie and reads the stream', async () => {
    const calls: Array<[string, RequestInit]> = []
    const client = new AiClient(async (url, init) => {
      calls.push([String(url), init!])
      return new Response(sse(EVENTS), { headers: { 'content-type': 'text/event-stream' } })
    })
    expect(await collect(client.messages(request, never))).toEqual(EVENTS)
    const [url, init] = calls[0]!
    expect(url).toBe('/api/ai/messages')
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } })
    expect(JSON.parse(init.body as string)).toEqual(request)
  })

  test('an HTTP refusal becomes one error event with the server’s code and message, and Retry-After', async () => {
    const client = new AiClient(
      async () =>
        new Response(JSON.stringify({ error: { code: 'budget_exceeded', message: 'Today’s AI budget is spent' } }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '3600' },
        }),
    )
    expect(await collect(client.messages(request, never))).toEqual([{ type: 'error', code: 'budget_exceeded', message: 'Today’s AI budget is spent', retryAfterSeconds: 3600 }])
    const html = new AiClient(async () => new Response('<h1>Bad gateway</h1>', { status: 502 }))
    expect(await collect(html.messages(request, never))).toEqual([{ type: 'error', code: 'ai_upstream_error', message: 'The server answered HTTP 502.' }])
  })

  test('no network: one error event; aborted before an answer: nothing', async () => {
    const client = new AiClient(async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(await collect(client.messages(request, never))).toEqual([{ type: 'error', code: 'network', message: 'The server could not be reached: Failed to fetch' }])
    const stop = new AbortController()
    stop.abort()
    expect(await collect(client.messages(request, stop.signal))).toEqual([])
  })

  test('status: the parsed answer, or the reason', async () => {
    const status = { enabled: false, reason: 'The server has no ANTHROPIC_API_KEY.', models: [] }
    expect(await new AiClient(async () => Response.json(status)).status()).toEqual({ ok: true, status })
    expect(await new AiClient(async () => Response.json({ error: { code: 'unauthorized', message: 'Sign in' } }, { status: 401 })).status()).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'Sign in' },
    })
  })
})
