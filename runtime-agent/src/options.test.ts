import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseOptions, type ParsedOptions } from './options.ts'

const ok = (parsed: ParsedOptions) => {
  if (parsed.ok !== true) throw new Error(JSON.stringify(parsed))
  return parsed
}
const error = (parsed: ParsedOptions) => {
  if (parsed.ok !== false) throw new Error(`expected a refusal, got ${JSON.stringify(parsed)}`)
  expect(parsed.error).not.toContain('\n')
  return parsed.error
}

const IDE = ['--origin', 'http://localhost:3000']
// 256 bits written out: base64url (43 characters) and hex (64).
const STRONG = 'Qx7_Lr2-Vb9kTz4WmN8pYc3Hs6Ja1Ud5Ge0FoXiBvKw'
const STRONG_HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

const dir = mkdtempSync(join(tmpdir(), 'slipway-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
function tokenFile(name: string, content: string, mode: number): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  chmodSync(path, mode)
  return path
}

describe('parseOptions', () => {
  it('has defaults, with a fresh 256-bit base64url token each time', () => {
    const a = ok(parseOptions(IDE, {}))
    const b = ok(parseOptions(IDE, {}))
    expect(a.options).toMatchObject({ port: 4100, dataDir: join(homedir(), '.slipway', 'runtime'), origins: ['http://localhost:3000'] })
    expect(a.options.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.options.token).not.toBe(b.options.token)
    expect(a.tokenSource).toBe('generated')
  })

  it('reads flags, both spellings, repeated origins, and skips a lone --', () => {
    const { options } = ok(parseOptions(['--', '--port=0', '--data-dir', 'rel/dir', '--origin', 'https://a.example', '--origin=http://localhost:8080'], {}))
    expect(options).toEqual({ port: 0, dataDir: join(process.cwd(), 'rel/dir'), origins: ['https://a.example', 'http://localhost:8080'], token: expect.any(String) })
  })

  it('reads the environment, flags winning, empty variables unset', () => {
    const env = { SLIPWAY_RUNTIME_PORT: '5000', SLIPWAY_RUNTIME_DATA_DIR: '/d', SLIPWAY_RUNTIME_ALLOWED_ORIGINS: ' https://a.example ,https://b.example', SLIPWAY_RUNTIME_TOKEN: '' }
    expect(ok(parseOptions([], env)).options).toMatchObject({ port: 5000, dataDir: '/d', origins: ['https://a.example', 'https://b.example'] })
    expect(ok(parseOptions(['--port', '6000'], env)).options.port).toBe(6000)
    expect(ok(parseOptions(['--origin', 'https://c.example'], env)).options.origins).toEqual(['https://c.example'])
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
    [['--origin', 'null'], {}, /^--origin /],
    [['--what'], {}, /^unknown flag "--what"/],
    [[], { SLIPWAY_RUNTIME_PORT: 'x' }, /^--port \(from SLIPWAY_RUNTIME_PORT\)/],
    [[], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: 'https://ok.example,bad' }, /^--origin \(from SLIPWAY_RUNTIME_ALLOWED_ORIGINS\)/],
  ])('refuses %j %j', (argv, env, message) => {
    const origin = 'SLIPWAY_RUNTIME_ALLOWED_ORIGINS' in env ? [] : IDE
    expect(error(parseOptions([...origin, ...argv], env))).toMatch(message)
  })

  it('answers --help', () => {
    expect(parseOptions(['--help'], {})).toEqual({ ok: 'help' })
  })
})

describe('origins: the IDE the person names, and no default', () => {
  it.each([
    [[], {}],
    [[], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: '' }],
    [['--port', '0'], { SLIPWAY_RUNTIME_ALLOWED_ORIGINS: ' , ' }],
  ])('refuses to start with none (%j %j)', (argv, env) => {
    expect(error(parseOptions(argv, env))).toMatch(/^(no IDE origin given: pass --origin|--origin \(from SLIPWAY_RUNTIME_ALLOWED_ORIGINS\) must list)/)
  })

  it('allows exactly the origins given: no dev-server port comes along', () => {
    const { options } = ok(parseOptions(['--origin', 'http://localhost:3000'], {}))
    expect(options.origins).toEqual(['http://localhost:3000'])
    for (const devServer of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://127.0.0.1:3000']) expect(options.origins).not.toContain(devServer)
  })
})

describe('the token: never on the command line', () => {
  it('refuses --token, in both spellings, without echoing it', () => {
    for (const argv of [['--token', STRONG], [`--token=${STRONG}`]]) {
      const message = error(parseOptions([...IDE, ...argv], {}))
      expect(message).toMatch(/^--token is not accepted.*SLIPWAY_RUNTIME_TOKEN.*--token-file/)
      expect(message).not.toContain(STRONG)
    }
  })

  it('takes it from SLIPWAY_RUNTIME_TOKEN', () => {
    const parsed = ok(parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN: STRONG }))
    expect(parsed.options.token).toBe(STRONG)
    expect(parsed.tokenSource).toBe('SLIPWAY_RUNTIME_TOKEN')
  })

  it('takes it from a file only its owner can read, surrounding whitespace dropped', () => {
    const path = tokenFile('token', `${STRONG_HEX}\n`, 0o600)
    expect(ok(parseOptions([...IDE, '--token-file', path], {}))).toMatchObject({ options: { token: STRONG_HEX }, tokenSource: { file: path } })
    expect(ok(parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN_FILE: path })).options.token).toBe(STRONG_HEX)
    expect(ok(parseOptions([...IDE, '--token-file', tokenFile('read-only', STRONG, 0o400)], {})).options.token).toBe(STRONG)
    // the flag wins over the variables, as every flag does
    expect(ok(parseOptions([...IDE, '--token-file', path], { SLIPWAY_RUNTIME_TOKEN: STRONG })).options.token).toBe(STRONG_HEX)
  })

  it.each([
    ['group-readable', 0o640],
    ['world-readable', 0o644],
    ['group-writable', 0o620],
    ['world-writable', 0o602],
  ])('refuses a %s token file, naming the mode and never the token', (name, mode) => {
    const path = tokenFile(name, STRONG, mode)
    const message = error(parseOptions([...IDE, '--token-file', path], {}))
    expect(message).toMatch(new RegExp(`^--token-file ".*${name}" can be read or written by other users \\(mode 0${mode.toString(8)}\\): run chmod 600`))
    expect(message).not.toContain(STRONG)
  })

  it('refuses a missing file, a folder, and both variables at once', () => {
    expect(error(parseOptions([...IDE, '--token-file', join(dir, 'missing')], {}))).toMatch(/^--token-file ".*missing" cannot be opened \(ENOENT\)/)
    expect(error(parseOptions([...IDE, '--token-file', dir], {}))).toMatch(/is not a regular file/)
    const path = tokenFile('both', STRONG, 0o600)
    expect(error(parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN: STRONG, SLIPWAY_RUNTIME_TOKEN_FILE: path }))).toMatch(/both set/)
  })

  it.each([
    ['16 characters (what used to pass)', 'abcdefghijklmnop'],
    ['42 base64url characters', STRONG.slice(0, 42)],
    ['63 hex digits', STRONG_HEX.slice(0, 63)],
    ['a repeated character', 'a'.repeat(64)],
    ['a short pattern repeated', 'abc123'.repeat(10)],
    ['spaces', `${STRONG} x`],
    ['base64 padding', `${STRONG}=`],
    ['a character the IDE would not take in a connect URL', `${STRONG}.~`],
  ])('refuses a weak or malformed supplied token: %s, never echoing it', (_label, token) => {
    for (const parsed of [parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN: token }), parseOptions([...IDE, '--token-file', tokenFile('weak', token, 0o600)], {})]) {
      const message = error(parsed)
      expect(message).toMatch(/^(SLIPWAY_RUNTIME_TOKEN|--token-file ".*weak") (is too weak|must be)/)
      expect(message).not.toContain(token)
    }
  })

  it('accepts 43 base64url characters and 64 hex digits', () => {
    expect(ok(parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN: STRONG })).options.token).toBe(STRONG)
    expect(ok(parseOptions(IDE, { SLIPWAY_RUNTIME_TOKEN: STRONG_HEX.toUpperCase() })).options.token).toBe(STRONG_HEX.toUpperCase())
  })
})
