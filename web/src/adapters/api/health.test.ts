import { describe, expect, test } from 'vitest'
import { checkHealth, HEALTH_PATH, type FetchLike } from './health.ts'

function answering(response: () => Response | Promise<Response>): FetchLike & { urls: string[] } {
  const urls: string[] = []
  const fetchFn = async (input: string) => {
    urls.push(input)
    return response()
  }
  return Object.assign(fetchFn, { urls })
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('checkHealth', () => {
  test('returns the validated body', async () => {
    const fetchFn = answering(() => json({ ok: true, db: 'pglite', version: '0.1.0' }))
    expect(await checkHealth(fetchFn)).toEqual({ state: 'ok', health: { ok: true, db: 'pglite', version: '0.1.0' } })
    expect(fetchFn.urls).toEqual([HEALTH_PATH])
  })

  test.each([
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch')), /request failed: Failed to fetch/],
    ['an error status', () => json({ error: 'nope' }, 502), /HTTP 502/],
    ['an HTML page', () => new Response('<!doctype html>', { status: 200 }), /invalid JSON/],
    ['a body of the wrong shape', () => json({ ok: true, db: 'sqlite', version: '1' }), /unexpected body/],
  ] as const)('reports %s as an error', async (_name, response, reason) => {
    const result = await checkHealth(answering(response))
    expect(result.state).toBe('error')
    expect(result.state === 'error' && result.reason).toMatch(reason)
  })
})
