import { ErrorBodySchema } from '@slipway/shared'
import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { errorHandler } from '../errors/index.ts'
import { hostGuard, ownOrigins } from './index.ts'

describe('ownOrigins', () => {
  test.each([
    ['http://localhost:3000', [], ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']],
    ['http://127.0.0.1:8080/', [], ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080']],
    ['http://[::1]:3000', [], ['http://[::1]:3000', 'http://localhost:3000', 'http://127.0.0.1:3000']],
    ['http://localhost', [], ['http://localhost', 'http://127.0.0.1', 'http://[::1]']],
    // A public name gets no aliases: only what is configured.
    ['https://ide.example.com', [], ['https://ide.example.com']],
    ['https://ide.example.com/some/path', ['https://IDE.example.org/', 'http://10.0.0.5:3000'], ['https://ide.example.com', 'https://ide.example.org', 'http://10.0.0.5:3000']],
    ['http://localhost.example.com:3000', [], ['http://localhost.example.com:3000']],
  ])('%s + %j → %j', (publicUrl, extra, expected) => {
    expect(ownOrigins(new URL(publicUrl), extra).sort()).toEqual([...expected].sort())
  })
})

describe('hostGuard', () => {
  function app(publicUrl: string, extra: string[] = []) {
    const a = new Hono()
    a.use(hostGuard({ origins: ownOrigins(new URL(publicUrl), extra), exempt: ['/api/health'] }))
    a.get('*', (c) => c.text('ok'))
    a.onError(errorHandler({ info: () => {}, error: () => {} }))
    return a
  }
  const get = (a: Hono, url: string, headers: Record<string, string> = {}) => a.request(url, { headers })

  test.each([
    // [public URL, request URL, Host header (undefined: none, as in-process), expected]
    ['https://ide.example.com', 'http://ide.example.com/api/projects', 'ide.example.com', 200],
    ['https://ide.example.com', 'http://ide.example.com/', 'IDE.Example.COM', 200],
    ['https://ide.example.com', 'http://ide.example.com:443/', 'ide.example.com:443', 200],
    ['https://ide.example.com', 'http://evil.example/api/projects', 'evil.example', 421],
    ['https://ide.example.com', 'http://ide.example.com:8443/', 'ide.example.com:8443', 421],
    ['https://ide.example.com', 'http://localhost/', undefined, 421],
    ['https://ide.example.com', 'http://127.0.0.1:3000/', '127.0.0.1:3000', 421],
    // An absolute-form target and its Host header must both name the app.
    ['https://ide.example.com', 'http://ide.example.com/', 'evil.example', 421],
    ['https://ide.example.com', 'http://evil.example/', 'ide.example.com', 421],
    // The health check answers under any name (load balancers, the container's own check on 127.0.0.1).
    ['https://ide.example.com', 'http://10.1.2.3:3000/api/health', '10.1.2.3:3000', 200],
    ['https://ide.example.com', 'http://evil.example/api/health/x', 'evil.example', 421],
    // The default local URL: every loopback name on its port, no other port, no other name.
    ['http://localhost:3000', 'http://localhost:3000/', 'localhost:3000', 200],
    ['http://localhost:3000', 'http://127.0.0.1:3000/', '127.0.0.1:3000', 200],
    ['http://localhost:3000', 'http://[::1]:3000/', '[::1]:3000', 200],
    ['http://localhost:3000', 'http://localhost:3001/', 'localhost:3001', 421],
    ['http://localhost:3000', 'http://evil.example:3000/', 'evil.example:3000', 421],
    ['http://localhost:3000', 'http://0.0.0.0:3000/', '0.0.0.0:3000', 421],
    ['http://localhost:3000', 'http://192.168.1.5:3000/', '192.168.1.5:3000', 421],
  ] as const)('PUBLIC_URL %s: %s with Host %s → %i', async (publicUrl, url, host, status) => {
    const res = await get(app(publicUrl), url, host === undefined ? {} : { host })
    expect(res.status).toBe(status)
    if (status === 421) expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('misdirected_request')
  })

  test('a configured extra origin is the app too', async () => {
    const a = app('https://ide.example.com', ['https://ide.example.org'])
    expect((await get(a, 'http://ide.example.org/', { host: 'ide.example.org' })).status).toBe(200)
    expect((await get(a, 'http://ide.example.net/', { host: 'ide.example.net' })).status).toBe(421)
  })
})
