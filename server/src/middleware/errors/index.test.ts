import { ErrorBodySchema } from '@slipway/shared'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { expect, test } from 'vitest'
import { DomainError } from '../../domain/errors.ts'
import { AppError } from '../../errors.ts'
import { errorHandler, notFoundHandler } from './index.ts'

function appWithLog() {
  const logged: Array<{ message: string; fields?: Record<string, unknown> }> = []
  const app = new Hono()
    .use(requestId())
    .get('/boom', () => {
      throw new Error('password=hunter2 at db.ts:12')
    })
    .get('/app-error', () => {
      throw new AppError('rate_limited', 'Slow down', { details: { retryAfter: 7 }, headers: { 'Retry-After': '7' } })
    })
    .get('/http-413', () => {
      throw new HTTPException(413)
    })
    .get('/domain-cause', () => {
      throw new DomainError('malformed_update', 'The update could not be applied', undefined, { cause: new RangeError('Maximum call stack size exceeded') })
    })
  app.onError(errorHandler({ info: (message, fields) => logged.push({ message, fields }), error: (message, fields) => logged.push({ message, fields }) }))
  app.notFound(notFoundHandler)
  return { app, logged }
}

test('unknown errors become 500 with a request id and no internals; the log keeps the details', async () => {
  const { app, logged } = appWithLog()
  const res = await app.request('/boom')
  expect(res.status).toBe(500)
  const text = await res.text()
  expect(text).not.toContain('hunter2')
  expect(text).not.toContain('db.ts')
  const body = ErrorBodySchema.parse(JSON.parse(text))
  expect(body.error.code).toBe('internal')
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'))
  expect(logged).toHaveLength(1)
  expect(logged[0]!.fields?.requestId).toBe(body.error.requestId)
  expect(String((logged[0]!.fields?.err as Error).message)).toContain('hunter2')
})

test('AppError keeps its code, status, details and headers', async () => {
  const { app, logged } = appWithLog()
  const res = await app.request('/app-error')
  expect(res.status).toBe(429)
  expect(res.headers.get('retry-after')).toBe('7')
  expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: 'Slow down', details: { retryAfter: 7 } } })
  expect(logged).toHaveLength(0)
})

test("Hono's own HTTPExceptions get a code; unknown routes are not_found", async () => {
  const { app } = appWithLog()
  expect(ErrorBodySchema.parse(await (await app.request('/http-413')).json()).error.code).toBe('payload_too_large')
  const nf = await app.request('/nope')
  expect(nf.status).toBe(404)
  expect(ErrorBodySchema.parse(await nf.json()).error.code).toBe('not_found')
})

test('a client error caused by an internal failure answers its code with the request id; the cause goes to the log only', async () => {
  const { app, logged } = appWithLog()
  const res = await app.request('/domain-cause')
  expect(res.status).toBe(400)
  const text = await res.text()
  expect(text).not.toContain('Maximum call stack')
  const body = ErrorBodySchema.parse(JSON.parse(text))
  expect(body.error).toMatchObject({ code: 'malformed_update', message: 'The update could not be applied', requestId: res.headers.get('x-request-id') })
  expect(String((logged[0]!.fields?.err as Error).message)).toContain('Maximum call stack')
})
