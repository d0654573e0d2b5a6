import { JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE, ErrorBodySchema } from '@slipway/shared'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { requestGuard } from '../content-type/index.ts'
import { errorHandler } from '../errors/index.ts'
import { jsonBody } from './index.ts'

// The same stack the app puts in front of every API route, around one JSON route.
function app() {
  const stored: unknown[] = []
  const a = new Hono()
    .use(
      requestGuard({ allowedOrigins: ['https://ide.example'], contentTypes: [JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE] }),
      bodyLimit({
        maxSize: 1024,
        onError: () => {
          throw new AppError('payload_too_large', 'too large')
        },
      }),
    )
    .post('/things', jsonBody(z.strictObject({ name: z.string().min(1), count: z.number().int() })), (c) => {
      stored.push(c.req.valid('json'))
      return c.json({ ok: true }, 201)
    })
  a.onError(errorHandler({ info: () => {}, error: () => {} }))
  return { a, stored }
}

const post = (body: string | ReadableStream<Uint8Array> | null, headers: Record<string, string> = { 'content-type': 'application/json' }, init: RequestInit = {}) =>
  new Request('http://localhost/things', { method: 'POST', headers, body, ...init })

async function code(res: Response) {
  return ErrorBodySchema.parse(await res.json()).error.code
}

test('a valid body is stored', async () => {
  const { a, stored } = app()
  const res = await a.request(post(JSON.stringify({ name: 'x', count: 1 })))
  expect(res.status).toBe(201)
  expect(stored).toEqual([{ name: 'x', count: 1 }])
})

test.each([
  ['malformed JSON', '{"name": "x",', 400, 'invalid_json'],
  ['empty body', '', 400, 'invalid_json'],
  ['wrong types', JSON.stringify({ name: 5, count: 'x' }), 400, 'invalid_body'],
  ['unknown fields', JSON.stringify({ name: 'x', count: 1, admin: true }), 400, 'invalid_body'],
  ['array instead of object', '[]', 400, 'invalid_body'],
])('%s → %i %s, nothing stored', async (_name, body, status, errorCode) => {
  const { a, stored } = app()
  const res = await a.request(post(body))
  expect(res.status).toBe(status)
  expect(await code(res)).toBe(errorCode)
  expect(stored).toEqual([])
})

test('invalid_body lists each problem with its path', async () => {
  const { a } = app()
  const res = await a.request(post(JSON.stringify({ name: '', count: 1.5 })))
  const body = ErrorBodySchema.parse(await res.json())
  expect((body.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['count', 'name'])
})

test.each([
  ['text/plain', { 'content-type': 'text/plain' }],
  ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
  ['no content type', {}],
])('%s → 415, nothing stored', async (_name, headers) => {
  const { a, stored } = app()
  const res = await a.request(post(JSON.stringify({ name: 'x', count: 1 }), headers))
  expect(res.status).toBe(415)
  expect(await code(res)).toBe('unsupported_media_type')
  expect(stored).toEqual([])
})

test('the sync binary type is not accepted by a JSON route', async () => {
  const { a } = app()
  const res = await a.request(post('{}', { 'content-type': YJS_UPDATE_CONTENT_TYPE }))
  expect(res.status).toBe(415)
})

test("an Origin other than the configured ones is refused with 403, the request URL's own too; the configured one passes", async () => {
  const { a, stored } = app()
  const body = JSON.stringify({ name: 'x', count: 1 })
  const cross = await a.request(post(body, { 'content-type': 'application/json', origin: 'https://evil.example' }))
  expect(cross.status).toBe(403)
  const noOriginCrossSite = await a.request(post(body, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }))
  expect(noOriginCrossSite.status).toBe(403)
  expect(stored).toEqual([])
  // http://localhost is where this request was sent, but a Host (hence the URL) is the sender's to choose.
  expect((await a.request(post(body, { 'content-type': 'application/json', origin: 'http://localhost' }))).status).toBe(403)
  expect(stored).toEqual([])
  expect((await a.request(post(body, { 'content-type': 'application/json', origin: 'https://ide.example' }))).status).toBe(201)
})

test('oversized bodies → 413, with Content-Length and chunked', async () => {
  const { a, stored } = app()
  const big = JSON.stringify({ name: 'x'.repeat(5000), count: 1 })
  const sized = await a.request(post(big))
  expect(sized.status).toBe(413)
  expect(await code(sized)).toBe('payload_too_large')

  const bytes = new TextEncoder().encode(big)
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512))
      controller.close()
    },
  })
  const chunked = await a.request(
    post(stream, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, { duplex: 'half' } as RequestInit),
  )
  expect(chunked.status).toBe(413)
  expect(stored).toEqual([])
})
