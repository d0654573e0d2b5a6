import path from 'node:path'
import { inspect } from 'node:util'
import { expect, test } from 'vitest'
import { ConfigError, loadConfig, redactUrl } from './config.ts'

const defaults = { webDir: '/srv/web' }

/// The ConfigError that loading `variable=value` throws, checked to name that variable.
function refusal(variable: string, value: string): ConfigError {
  let error: unknown
  try {
    loadConfig({ [variable]: value }, defaults)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as ConfigError).variable).toBe(variable)
  return error as ConfigError
}

test('defaults: port 3000 on loopback, PGlite in ./.slipway-data, require-corp', () => {
  const c = loadConfig({}, defaults)
  expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, coep: 'require-corp', webDir: '/srv/web' })
  expect(c.dataDir).toBe(path.resolve('.slipway-data'))
  expect(c.publicUrl.origin).toBe('http://localhost:3000')
  expect(c.runtimeOrigins).toEqual(['http://127.0.0.1:*'])
  expect(loadConfig({ SLIPWAY_RUNTIME_ORIGINS: 'none' }, defaults).runtimeOrigins).toEqual([])
  expect(c.trustedProxies).toEqual([])
  expect(c.extraOrigins).toEqual([])
})

test('SLIPWAY_TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 and IPv6, separated by commas or spaces', () => {
  const c = loadConfig({ SLIPWAY_TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ::1  fd00::/8,::ffff:172.16.0.0/108' }, defaults)
  expect(c.trustedProxies.map((r) => [r.bytes.length, r.prefix])).toEqual([
    [4, 8],
    [4, 32],
    [16, 128],
    [16, 8],
    [4, 12],
  ])
})

test('quotas and the doc cache budget: defaults, plain bytes or binary units', () => {
  expect(loadConfig({}, defaults).quotas).toEqual({ maxProjectsPerUser: 200, maxProjectHistoryBytes: 256 * 1024 ** 2, maxUserBytes: 2 * 1024 ** 3 })
  const c = loadConfig(
    { SLIPWAY_MAX_PROJECTS_PER_USER: '5', SLIPWAY_MAX_PROJECT_HISTORY_BYTES: '1048576', SLIPWAY_MAX_USER_BYTES: '3GiB', SLIPWAY_DOC_CACHE_BYTES: '64 MiB' },
    defaults,
  )
  expect(c.quotas).toEqual({ maxProjectsPerUser: 5, maxProjectHistoryBytes: 1024 ** 2, maxUserBytes: 3 * 1024 ** 3 })
  expect(c.docCacheBytes).toBe(64 * 1024 ** 2)
})

test('SLIPWAY_EXTRA_ORIGINS: origins, normalized', () => {
  const c = loadConfig({ SLIPWAY_EXTRA_ORIGINS: 'https://IDE.example.org/, http://10.0.0.5:3000 https://ide.example.net:443' }, defaults)
  expect(c.extraOrigins).toEqual(['https://ide.example.org', 'http://10.0.0.5:3000', 'https://ide.example.net'])
})

test('reads every variable', () => {
  const c = loadConfig(
    {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/slipway',
      SLIPWAY_DATA_DIR: '/data',
      PUBLIC_URL: 'https://ide.example.com',
      COEP: 'credentialless',
      SLIPWAY_RUNTIME_ORIGINS: 'http://127.0.0.1:*, http://localhost:4100/',
    },
    defaults,
  )
  expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db:5432/slipway', dataDir: '/data', coep: 'credentialless' })
  expect(c.publicUrl.origin).toBe('https://ide.example.com')
  expect(c.runtimeOrigins).toEqual(['http://127.0.0.1:*', 'http://localhost:4100'])
})

test.each([
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['PORT', '-1'],
  ['HOST', 'a host'],
  ['DATABASE_URL', 'mysql://x'],
  ['DATABASE_URL', 'not a url'],
  ['PUBLIC_URL', 'ftp://x'],
  ['COEP', 'unsafe-none'],
  ['SLIPWAY_RUNTIME_ORIGINS', 'javascript:alert(1)'],
  ['SLIPWAY_TRUSTED_PROXIES', 'proxy.internal'],
  ['SLIPWAY_TRUSTED_PROXIES', '10.0.0.0/33'],
  ['SLIPWAY_TRUSTED_PROXIES', '10.0.0.1, *'],
  ['SLIPWAY_TRUSTED_PROXIES', '10.0.0.1;10.0.0.2'],
  ['SLIPWAY_EXTRA_ORIGINS', 'ide.example.org'],
  ['SLIPWAY_EXTRA_ORIGINS', 'https://ide.example.org/path'],
  ['SLIPWAY_EXTRA_ORIGINS', 'https://*.example.org'],
  ['SLIPWAY_EXTRA_ORIGINS', 'ftp://ide.example.org'],
  ['SLIPWAY_MAX_PROJECTS_PER_USER', '0'],
  ['SLIPWAY_MAX_PROJECTS_PER_USER', 'many'],
  ['SLIPWAY_MAX_PROJECT_HISTORY_BYTES', '1.5GiB'],
  ['SLIPWAY_MAX_USER_BYTES', '-5'],
  ['SLIPWAY_DOC_CACHE_BYTES', '1TB'],
])('%s=%s is refused with a message naming the variable', (variable, value) => {
  const error = refusal(variable, value)
  expect(error.message).toMatch(new RegExp(`^invalid ${variable}=`))
  expect(error.message).not.toContain('\n')
})

test('empty values mean "use the default"', () => {
  expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }, defaults)).toMatchObject({ port: 3000, databaseUrl: undefined })
})

test('passwords never appear in messages', () => {
  expect(redactUrl('postgres://me:secret@db/x')).toBe('postgres://me:***@db/x')
})

test('the AI assistant: off without a key; current Sonnet and Haiku, 8192 max tokens and a million tokens a day by default', () => {
  const off = loadConfig({}, defaults).ai
  expect(off).toEqual({ apiKey: undefined, baseUrl: undefined, models: ['claude-sonnet-5-5', 'claude-haiku-5-5'], maxTokens: 8192, dailyTokens: 1_000_000 })
  const on = loadConfig(
    {
      ANTHROPIC_API_KEY: ' sk-ant-api03-abcdefgh ',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4450',
      SLIPWAY_AI_MODELS: 'claude-haiku-5-5, claude-sonnet-5-5',
      SLIPWAY_AI_MAX_TOKENS: '4096',
      SLIPWAY_AI_DAILY_TOKENS: '250000',
    },
    defaults,
  ).ai
  expect(on.apiKey?.reveal()).toBe('sk-ant-api03-abcdefgh')
  expect(on).toMatchObject({ baseUrl: 'http://127.0.0.1:4450', models: ['claude-haiku-5-5', 'claude-sonnet-5-5'], maxTokens: 4096, dailyTokens: 250_000 })
})

test('the key never shows when the config is printed, logged or serialized', () => {
  const c = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-api03-secretsecret' }, defaults)
  for (const text of [JSON.stringify(c), String(c.ai.apiKey), inspect(c, { depth: 10 }), `${c.ai.apiKey}`]) expect(text).not.toContain('secretsecret')
})

test.each([
  ['sk ant with spaces', /no spaces/],
  ['sk-q7', /too short/],
  ['sk-ant-' + 'x'.repeat(1100), /too long/],
  ['sk-ant-api03-é-accent', /printable ASCII/],
])('ANTHROPIC_API_KEY refused for what is wrong with it, without repeating it', (value, reason) => {
  const error = refusal('ANTHROPIC_API_KEY', value)
  expect(error.message).toMatch(reason)
  expect(error.message).not.toContain(value)
})

test.each([
  ['ANTHROPIC_API_KEY', 'sk ant with spaces'],
  ['ANTHROPIC_API_KEY', 'sk-q7'],
  ['ANTHROPIC_BASE_URL', 'api.anthropic.com'],
  ['SLIPWAY_AI_MODELS', 'claude-sonnet-5-5,claude-sonnet-5-5'],
  ['SLIPWAY_AI_MODELS', 'claude-sonnet-5-5,<script>'],
  ['SLIPWAY_AI_MAX_TOKENS', '0'],
  ['SLIPWAY_AI_MAX_TOKENS', '200000'],
  ['SLIPWAY_AI_DAILY_TOKENS', 'lots'],
])('%s=%s is refused, naming the variable (and never repeating a key)', (variable, value) => {
  const error = refusal(variable, value)
  expect(error.message).toMatch(new RegExp(`^invalid ${variable}[=:]`))
  if (variable === 'ANTHROPIC_API_KEY') expect(error.message).not.toContain(value)
})
