import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ORIGINS, parseOptions, type ParsedOptions } from './options.ts'

const ok = (parsed: ParsedOptions) => {
  if (parsed.ok !== true) throw new Error(JSON.stringify(parsed))
  return parsed.options
}

describe('parseOptions', () => {
  it('has defaults, with a fresh 256-bit base64url token each time', () => {
    const a = ok(parseOptions([], {}))
    const b = ok(parseOptions([], {}))
    expect(a).toMatchObject({ port: 4100, dataDir: join(homedir(), '.slipway', 'runtime'), origins: DEFAULT_ORIGINS })
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.token).not.toBe(b.token)
  })

  it('reads flags, both spellings, repeated origins, and skips a lone --', () => {
    const options = ok(parseOptions(['--', '--port=0', '--data-dir', 'rel/dir', '--origin', 'https://a.example', '--origin=http://localhost:8080', '--token', 'abcdefghijklmnop'], {}))
    expect(options).toEqual({ port: 0, dataDir: join(process.cwd(), 'rel/dir'), origins: ['https://a.example', 'http://localhost:8080'], token: 'abcdefghijklmnop' })
  })

  it('reads the environment, flags winning, empty variables unset', () => {
    const env = { SLIPWAY_RUNTIME_PORT: '5000', SLIPWAY_RUNTIME_DATA_DIR: '/d', SLIPWAY_RUNTIME_ALLOWED_ORIGINS: ' https://a.example ,https://b.example', SLIPWAY_RUNTIME_TOKEN: '' }
    expect(ok(parseOptions([], env))).toMatchObject({ port: 5000, dataDir: '/d', origins: ['https://a.example', 'https://b.example'] })
    expect(ok(parseOptions(['--port', '6000'], env)).port).toBe(6000)
  })

  it.each([
    [['--port', 'abc'], {}, /^--port must be an integer/],
    [['--port', '65536'], {}, /^--port /],
    [['--port', '-1'], {}, /^--port /],
    [['--port'], {}, /^--port needs a value/],
    [['--port', '1', '--port', '2'], {}, /^--port was given twice/],
    [['--data-dir', ''], {}, /^--data-dir /],
    [['--origin', 'localhost:3000'], {}, /^--origin must be an origin/],
    [['--origin', 'http://localhost:3000/'], {}, /^--origin /],
    [['--origin', 'ftp://x.example'], {}, /^--origin /],
    [['--token', 'short'], {}, /^--token must be/],
    [['--token', 'has spaces in it and more'], {}, /^--token /],
    [['--what'], {}, /^unknown flag "--what"/],
    [[], { SLIPWAY_RUNTIME_PORT: 'x' }, /^--port \(from SLIPWAY_RUNTIME_PORT\)/],
    [[], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'https://ok.example,bad' }, /^--origin \(from SLIPWAY_RUNTIME_ALLOWED_ORIGINS\)/],
  ])('refuses %j %j', (argv, env, message) => {
    const parsed = parseOptions(argv, env)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok === false && parsed.error).toMatch(message)
    expect(parsed.ok === false && parsed.error).not.toContain('\n')
  })

  it('never echoes a refused token', () => {
    const parsed = parseOptions(['--token', 'secret secret secret'], {})
    expect(parsed.ok === false && parsed.error).not.toContain('secret')
  })

  it('answers --help', () => {
    expect(parseOptions(['--help'], {})).toEqual({ ok: 'help' })
  })
})
