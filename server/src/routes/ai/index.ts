import { AiMessagesRequestSchema } from '@slipway/shared'
import type { AiStreamEvent } from '@slipway/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { AiService } from '../../domain/ai/service.ts'
import type { Logger } from '../../logger.ts'
import { jsonBody } from '../../middleware/json-body/index.ts'
import { requireUser } from '../../middleware/session/index.ts'

/// 401 before anything else is looked at: an anonymous caller learns nothing about the body's shape or the limits.
const signedIn: MiddlewareHandler = async function signedIn(c, next) {
  await requireUser(c)
  await next()
}

/// `/api/ai`: the assistant's status and the Claude proxy (see `AI_API` in shared).
export function aiRoutes(deps: { ai: AiService; logger: Logger }) {
  const { ai, logger } = deps
  return new Hono()
    .get('/status', async (c) => {
      // Anyone may ask whether the assistant is on; the budget is the signed-in user's.
      const found = await c.get('session').resolve()
      c.header('Cache-Control', 'no-store')
      return c.json(await ai.status(found?.user.id), 200)
    })
    .post('/messages', signedIn, jsonBody(AiMessagesRequestSchema), async (c) => {
      const user = await requireUser(c)
      const abort = new AbortController()
      const gone = () => abort.abort()
      c.req.raw.signal.addEventListener('abort', gone, { once: true })
      const turn = await ai.open(user.id, c.req.valid('json'), abort.signal)
      return eventStream(c, turn.events, abort, logger)
    })
}

const encoder = new TextEncoder()
const frame = (event: AiStreamEvent) => encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)

/// `text/event-stream` of the turn's events, written as the browser reads them (a pull per event, so a slow reader
/// slows the upstream read instead of filling memory). The browser going away aborts the upstream call.
function eventStream(c: Context, events: AsyncIterable<AiStreamEvent>, abort: AbortController, logger: Logger): Response {
  const iterator = events[Symbol.asyncIterator]()
  // Set when the browser goes away: a read in flight then ends on a stream that is already closed, and must not
  // touch its controller (closing it again throws, which read as a streaming failure in the log).
  let cancelled = false
  let finished = false
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await iterator.next()
        if (cancelled) return
        if (r.done) return controller.close()
        controller.enqueue(frame(r.value))
        // The last event ends the body at once; the turn's own ending (the settlement of its tokens) runs after it,
        // so the browser never waits on a database write to see the answer end.
        if (r.value.type === 'done' || r.value.type === 'error') {
          controller.close()
          finished = true
          void drain(iterator, logger)
        }
      } catch (err) {
        if (cancelled) return
        // The domain turns every failure into an error event; anything else is a bug, told in general words.
        logger.error('ai: the event stream failed', { err })
        controller.enqueue(frame({ type: 'error', code: 'internal', message: 'The server failed while streaming the answer.' }))
        controller.close()
      }
    },
    async cancel() {
      if (finished) return
      cancelled = true
      abort.abort()
      await iterator.return?.(undefined)
    },
  })
  c.header('Content-Type', 'text/event-stream; charset=utf-8')
  c.header('Cache-Control', 'no-store')
  // Reverse proxies (nginx) must not buffer the stream.
  c.header('X-Accel-Buffering', 'no')
  return c.body(body, 200)
}

/// Reads a turn's events past its last one, which runs what it does after (its settlement); nobody is listening.
async function drain(iterator: AsyncIterator<AiStreamEvent>, logger: Logger): Promise<void> {
  try {
    while (!(await iterator.next()).done);
  } catch (err) {
    logger.error('ai: ending a turn failed', { err })
  }
}
