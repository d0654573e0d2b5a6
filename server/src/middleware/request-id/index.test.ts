import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { requestId } from './index.ts'

test("echoes a sane caller id, replaces a missing or odd one with a UUID, and exposes it as c.var.requestId", async () => {
  const app = new Hono().use(requestId()).get('/', (c) => c.text(c.get('requestId')))
  const given = await app.request('/', { headers: { 'x-request-id': 'abc-123=' } })
  expect(given.headers.get('x-request-id')).toBe('abc-123=')
  expect(await given.text()).toBe('abc-123=')
  for (const headers of [{}, { 'x-request-id': 'bad id<script>' }, { 'x-request-id': 'x'.repeat(256) }] as Array<Record<string, string>>) {
    const res = await app.request('/', { headers })
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.text()).toBe(id)
  }
})
