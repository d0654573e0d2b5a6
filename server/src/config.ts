import path from 'node:path'
import { CoepSchema, DEFAULT_COEP } from '@slipway/shared'
import type { Coep } from '@slipway/shared'
import { z } from 'zod'
import { DEFAULT_MODELS } from './domain/ai/models.ts'
import { DEFAULT_DOC_CACHE_BYTES } from './domain/doc-cache.ts'
import { DEFAULT_QUOTAS } from './domain/quotas.ts'
import type { Quotas } from './domain/quotas.ts'
import type { IpRange } from './middleware/client-ip/index.ts'
import { parseIpRange } from './middleware/client-ip/index.ts'
import { Secret } from './secret.ts'

/// Validated server configuration. Built once in main.ts from the environment and passed down; nothing else reads
/// `process.env`.
export interface Config {
  port: number
  host: string
  /// `undefined` means the embedded PGlite database under `dataDir`.
  databaseUrl: string | undefined
  dataDir: string
  /// The origin people use to reach the app; also the allowed Origin for unsafe requests.
  publicUrl: URL
  coep: Coep
  /// Folder with the built SPA (`web/dist`).
  webDir: string
  /// Extra origins the CSP lets the IDE frame (local runtime previews) and connect to.
  runtimeOrigins: string[]
  /// Proxies whose `X-Forwarded-For` names the client (login rate limits); empty: the TCP peer is the client.
  trustedProxies: IpRange[]
  /// More origins people reach this same server at, besides `publicUrl`'s: each is accepted as Host and as Origin.
  extraOrigins: string[]
  /// Storage quotas per account (`domain/quotas.ts`); unset fields take the defaults.
  quotas?: Partial<Quotas>
  /// Memory the built docs cached between requests may take (`domain/doc-cache.ts`).
  docCacheBytes?: number
  /// Key that seals share link ids for their owners' lists (SLIPWAY_SHARE_KEY, 32 bytes); unset: one kept in the
  /// database.
  shareKey?: Uint8Array | undefined
  /// The AI assistant (README "AI assistant").
  ai: AiConfig
  /// SLIPWAY_DEBUG_STATS_FILE, for benchmarks only: see debug-stats.ts.
  debugStatsFile?: string | undefined
}

export interface AiConfig {
  /// ANTHROPIC_API_KEY; unset: the assistant is off (its routes answer 503 `ai_unavailable`).
  apiKey: Secret | undefined
  /// ANTHROPIC_BASE_URL, for gateways and tests; unset: Anthropic's API.
  baseUrl: string | undefined
  /// SLIPWAY_AI_MODELS: the allowlist, the first the default.
  models: string[]
  /// SLIPWAY_AI_MAX_TOKENS: the `max_tokens` cap of every call.
  maxTokens: number
  /// SLIPWAY_AI_DAILY_TOKENS: each user's budget per UTC day.
  dailyTokens: number
}

/// `max_tokens` cap by default: room for a long answer with a few edits, well under every current model's limit.
export const DEFAULT_AI_MAX_TOKENS = 8192
/// The most output any current model allows in one call (Claude 5 family: 128K).
const MAX_AI_MAX_TOKENS = 128_000
/// Each user's tokens per UTC day by default. A turn of the agent loop with 25 tool rounds over a 30K-token
/// conversation counts about 25 × (3K new input + 30K × 0.1 cached + 1K output) ≈ 175K tokens, so a million is five or
/// six long agent turns or dozens of questions a day; on Claude Sonnet 5.5 it costs at most $10 a user a day (every
/// token counted as output), typically $2–4.
export const DEFAULT_AI_DAILY_TOKENS = 1_000_000

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message)
    this.name = 'ConfigError'
  }
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/// Origins the local runtime agent serves from (its WebSocket and one loopback origin per preview); `*` ports are
/// allowed because preview ports are picked when a server starts.
const DEFAULT_RUNTIME_ORIGINS = 'http://127.0.0.1:*'
const ORIGIN_PATTERN = /^https?:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}|\*))?$/

const listOf = (s: string) => s.split(/[\s,]+/).filter(Boolean)

/// An origin as written (`https://ide.example.com`, a trailing slash allowed), normalized; `undefined` otherwise.
function originOf(text: string): string | undefined {
  try {
    const u = new URL(text)
    const bare = (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && u.pathname === '/' && !u.search && !u.hash
    return bare && !text.includes('*') && /^https?:\/\/[^/]+\/?$/i.test(text) ? u.origin : undefined
  } catch {
    return undefined
  }
}

/// A positive whole number, bytes with an optional binary unit (`512MiB`, `2GiB`) where `bytes` is set.
const positive = (fallback: number, bytes = false) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(bytes ? /^\d+\s*(KiB|MiB|GiB)?$/i : /^\d+$/, bytes ? 'expected a number of bytes, like 268435456 or 256MiB' : 'expected a whole number')
      .transform((s) => {
        const m = /^(\d+)\s*(KiB|MiB|GiB)?$/i.exec(s)!
        const unit = { kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'kib'] ?? 1
        return Number(m[1]) * unit
      })
      .refine((n) => n > 0 && Number.isSafeInteger(n), 'expected a number above 0')
      .default(fallback),
  )

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })

const EnvSchema = z.object({
  PORT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{1,5}$/, 'expected an integer between 0 and 65535')
      .transform(Number)
      .refine((n) => n <= 65535, 'expected an integer between 0 and 65535')
      .default(3000),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.:[\]-]+$/, 'expected a hostname or IP address').default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' }).optional(),
  ),
  SLIPWAY_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.slipway-data')),
  PUBLIC_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  COEP: z.preprocess(emptyToUndefined, CoepSchema.default(DEFAULT_COEP)),
  SLIPWAY_WEB_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  SLIPWAY_RUNTIME_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(DEFAULT_RUNTIME_ORIGINS)
      .transform((s) => (s.trim() === 'none' ? [] : s.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean)))
      .pipe(z.array(z.string().regex(ORIGIN_PATTERN, 'expected comma-separated origins like http://127.0.0.1:* (or "none")'))),
  ),
  SLIPWAY_MAX_PROJECTS_PER_USER: positive(DEFAULT_QUOTAS.maxProjectsPerUser),
  SLIPWAY_MAX_PROJECT_HISTORY_BYTES: positive(DEFAULT_QUOTAS.maxProjectHistoryBytes, true),
  SLIPWAY_MAX_USER_BYTES: positive(DEFAULT_QUOTAS.maxUserBytes, true),
  SLIPWAY_DOC_CACHE_BYTES: positive(DEFAULT_DOC_CACHE_BYTES, true),
  SLIPWAY_SHARE_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 random bytes in base64url (43 characters), e.g. from `openssl rand -base64 32 | tr "+/" "-_" | tr -d =`')
      .optional(),
  ),
  SLIPWAY_TRUSTED_PROXIES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform(listOf)
      .pipe(z.array(z.string().refine((s) => parseIpRange(s) !== undefined, 'expected comma-separated addresses or CIDR ranges, like 10.0.0.0/8, ::1'))),
  ),
  SLIPWAY_EXTRA_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform(listOf)
      .pipe(z.array(z.string().refine((s) => originOf(s) !== undefined, 'expected comma-separated origins like https://ide.example.com'))),
  ),
  ANTHROPIC_API_KEY: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || undefined : v),
    z
      .string()
      .min(8, 'too short for an Anthropic API key (they are dozens of characters, like sk-ant-api03-…)')
      .max(1024, 'too long for an Anthropic API key (over 1,024 characters)')
      .regex(/^[\x21-\x7e]*$/, 'expected an Anthropic API key: printable ASCII characters, no spaces')
      .optional(),
  ),
  ANTHROPIC_BASE_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  SLIPWAY_AI_MODELS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(DEFAULT_MODELS.join(','))
      .transform(listOf)
      .pipe(
        z
          .array(z.string().regex(/^[A-Za-z0-9][\w.:@/-]{0,127}$/, 'expected comma-separated model ids like claude-sonnet-5-5'))
          .min(1, 'expected at least one model id')
          .refine((ids) => new Set(ids).size === ids.length, 'a model id is listed twice'),
      ),
  ),
  SLIPWAY_AI_MAX_TOKENS: positive(DEFAULT_AI_MAX_TOKENS).refine((n) => n <= MAX_AI_MAX_TOKENS, `expected at most ${MAX_AI_MAX_TOKENS}`),
  SLIPWAY_AI_DAILY_TOKENS: positive(DEFAULT_AI_DAILY_TOKENS),
  SLIPWAY_DEBUG_STATS_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
})

/// Variables whose values are never repeated in a message.
const SECRET_VARIABLES = new Set(['ANTHROPIC_API_KEY', 'SLIPWAY_SHARE_KEY'])

/// Reads and validates the configuration. Throws `ConfigError` naming the first bad variable.
export function loadConfig(env: Record<string, string | undefined>, defaults: { webDir: string }): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const variable = String(issue.path[0] ?? 'environment')
    const raw = env[variable]
    const shown = SECRET_VARIABLES.has(variable) ? undefined : variable === 'DATABASE_URL' && raw ? redactUrl(raw) : raw
    throw new ConfigError(variable, `invalid ${variable}${shown === undefined ? '' : `=${JSON.stringify(shown)}`}: ${issue.message}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.SLIPWAY_DATA_DIR),
    publicUrl: new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    coep: e.COEP,
    webDir: path.resolve(e.SLIPWAY_WEB_DIR ?? defaults.webDir),
    runtimeOrigins: e.SLIPWAY_RUNTIME_ORIGINS,
    trustedProxies: e.SLIPWAY_TRUSTED_PROXIES.map((s) => parseIpRange(s)!),
    extraOrigins: e.SLIPWAY_EXTRA_ORIGINS.map((s) => originOf(s)!),
    quotas: {
      maxProjectsPerUser: e.SLIPWAY_MAX_PROJECTS_PER_USER,
      maxProjectHistoryBytes: e.SLIPWAY_MAX_PROJECT_HISTORY_BYTES,
      maxUserBytes: e.SLIPWAY_MAX_USER_BYTES,
    },
    docCacheBytes: e.SLIPWAY_DOC_CACHE_BYTES,
    shareKey: e.SLIPWAY_SHARE_KEY ? new Uint8Array(Buffer.from(e.SLIPWAY_SHARE_KEY, 'base64url')) : undefined,
    ai: {
      apiKey: e.ANTHROPIC_API_KEY === undefined ? undefined : new Secret(e.ANTHROPIC_API_KEY),
      baseUrl: e.ANTHROPIC_BASE_URL,
      models: e.SLIPWAY_AI_MODELS,
      maxTokens: e.SLIPWAY_AI_MAX_TOKENS,
      dailyTokens: e.SLIPWAY_AI_DAILY_TOKENS,
    },
    debugStatsFile: e.SLIPWAY_DEBUG_STATS_FILE,
  }
}

/// A database URL without its password, for messages.
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '<unparseable URL>'
  }
}
