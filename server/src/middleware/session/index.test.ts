import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { expect, test } from 'vitest'
import { sessionToken } from './index.ts'

const NAME = 'slipway_session'
const TOKEN = 'Abc_-0123456789abcdefghijklmnopqrstuvwxyzABC'

/// What `sessionToken` and hono's `getCookie` read from a request with this Cookie header.
async function read(header: string | undefined) {
  const app = new Hono().get('/', (c) => c.json({ ours: sessionToken(c, NAME) ?? null, hono: getCookie(c, NAME) ?? null }))
  const res = await app.request('/', header === undefined ? {} : { headers: { cookie: header } })
  return (await res.json()) as { ours: string | null; hono: string | null }
}

test.each([
  [undefined, null],
  ['', null],
  [`${NAME}=${TOKEN}`, TOKEN],
  [`other=1; ${NAME}=${TOKEN}`, TOKEN],
  [`${NAME}=${TOKEN}; other=1`, TOKEN],
  [`x${NAME}=${TOKEN}`, null],
  [`${NAME}x=${TOKEN}`, null],
  [`${NAME}="${TOKEN}"`, TOKEN],
  [`${NAME}=%41bc`, 'Abc'],
  [`${NAME}=a b`, undefined],
  [`${NAME}=`, undefined],
  [`${NAME}=first; ${NAME}=second`, 'first'],
  [`${NAME}=${'a'.repeat(600)}`, 'a'.repeat(600)],
])('the session cookie in %j is %j, as getCookie reads it', async (header, expected) => {
  const { ours, hono } = await read(header)
  expect(ours).toBe(hono)
  if (expected !== undefined) expect(ours).toBe(expected)
})
