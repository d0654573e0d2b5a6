import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'

/// What the agent runs with. See `parseOptions` for the flags and variables that set each.
export interface AgentOptions {
  /// 0 picks a free port.
  port: number
  dataDir: string
  /// Exact `Origin` values allowed to connect: the IDE's, as the person gave them. There is no default: a default
  /// would have to guess ports, and the guesses (3000, 5173) are the ports projects' own dev servers use, whose pages
  /// would then pass the check.
  origins: string[]
  token: string
}

/// Where the token came from, for the startup message (never the token itself).
export type TokenSource = 'generated' | 'SLIPWAY_RUNTIME_TOKEN' | { file: string }

export const DEFAULT_PORT = 4100

/// A fresh 256-bit token, base64url.
export function createToken(): string {
  return randomBytes(32).toString('base64url')
}

const PortSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be an integer from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be an integer from 0 to 65535'))
const DataDirSchema = z.string().min(1, 'must be a folder path')
const OriginSchema = z.string().refine(isOrigin, 'must be an origin such as http://localhost:3000 (scheme, host and port; no path)')

/// A supplied token must be as long as a 256-bit random token written out: 43 characters (base64url) or, when it is
/// only hex digits, 64. Length is all the agent can check; fewer than 10 distinct characters (a repeated or typed
/// pattern) is refused as well. Generate one with `openssl rand -hex 32`.
export const MIN_TOKEN_LENGTH = 43
export const MIN_HEX_TOKEN_LENGTH = 64
const TokenSchema = z
  .string()
  // The characters the IDE accepts in a pasted connect URL (web/src/core/runtime/choice.ts): base64url, hex.
  .regex(/^[A-Za-z0-9_-]{1,512}$/, 'must be at most 512 characters from A-Z a-z 0-9 _ - (make one with: openssl rand -hex 32)')
  .refine(
    (token) => token.length >= (/^[0-9A-Fa-f]+$/.test(token) ? MIN_HEX_TOKEN_LENGTH : MIN_TOKEN_LENGTH) && new Set(token).size >= 10,
    `is too weak: a token must be a 256-bit random one, at least ${MIN_TOKEN_LENGTH} characters (${MIN_HEX_TOKEN_LENGTH} if hex) (make one with: openssl rand -hex 32)`,
  )

interface Flag {
  env: string
  repeatable?: boolean
}
const FLAGS: Record<string, Flag> = {
  '--port': { env: 'SLIPWAY_RUNTIME_PORT' },
  '--data-dir': { env: 'SLIPWAY_RUNTIME_DATA_DIR' },
  '--origin': { env: 'SLIPWAY_RUNTIME_ALLOWED_ORIGINS', repeatable: true },
  '--token-file': { env: 'SLIPWAY_RUNTIME_TOKEN_FILE' },
}

export const USAGE = `usage: slipway-runtime --origin URL [--origin URL]... [--port N] [--data-dir DIR] [--token-file FILE]
  (or: npx @slipway/runtime-agent --origin URL ...)
  Runs Slipway's terminals, npm and dev servers on this machine, for the IDE at URL.
  --origin URL       the IDE's origin, the address you open Slipway at (e.g. http://localhost:3000); required,
                     repeatable. Browser pages from any other origin are refused.
                                                                                env SLIPWAY_RUNTIME_ALLOWED_ORIGINS (comma-separated)
  --port N           port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)            env SLIPWAY_RUNTIME_PORT
  --data-dir DIR     where projects live (default ~/.slipway/runtime)                env SLIPWAY_RUNTIME_DATA_DIR
  --token-file FILE  read the token from FILE, which only you may read (chmod 600)  env SLIPWAY_RUNTIME_TOKEN_FILE
  The token: from --token-file, or from SLIPWAY_RUNTIME_TOKEN, else a fresh random one each run. A token you supply
  must be 256-bit random, ${MIN_TOKEN_LENGTH}+ characters (${MIN_HEX_TOKEN_LENGTH}+ if hex): openssl rand -hex 32. There is no --token flag:
  any local user can read a command line from the process list.`

export type ParsedOptions = { ok: true; options: AgentOptions; tokenSource: TokenSource } | { ok: false; error: string } | { ok: 'help' }

/// Reads the command line (`--flag value` or `--flag=value`; a lone `--` is skipped), falling back to the
/// environment, then to defaults. Flags win over variables; empty variables count as unset. A bad value yields one
/// line naming the flag (never a token). At least one `--origin` is required. A token file is read here (the only
/// I/O): it must be a regular file with no permission bits for group or others.
export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedOptions {
  const given = new Map<string, string[]>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') return { ok: 'help' }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    if (name === '--token') {
      return { ok: false, error: '--token is not accepted, since any local user can read a command line: set SLIPWAY_RUNTIME_TOKEN or use --token-file' }
    }
    const flag = FLAGS[name]
    if (!flag) return { ok: false, error: `unknown flag ${JSON.stringify(arg)} (try --help)` }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) return { ok: false, error: `${name} needs a value` }
    const values = given.get(name) ?? []
    if (values.length > 0 && !flag.repeatable) return { ok: false, error: `${name} was given twice` }
    given.set(name, [...values, value])
  }
  const source = (name: string): { values: string[]; label: string } | undefined => {
    const fromArgv = given.get(name)
    if (fromArgv) return { values: fromArgv, label: name }
    const flag = FLAGS[name]!
    const fromEnv = env[flag.env]
    if (fromEnv === undefined || fromEnv === '') return undefined
    const values = flag.repeatable ? fromEnv.split(',').map((v) => v.trim()).filter(Boolean) : [fromEnv]
    return { values, label: `${name} (from ${flag.env})` }
  }
  const envToken = env.SLIPWAY_RUNTIME_TOKEN === '' ? undefined : env.SLIPWAY_RUNTIME_TOKEN
  return buildOptions(source, envToken)
}

function buildOptions(source: (name: string) => { values: string[]; label: string } | undefined, envToken: string | undefined): ParsedOptions {
  const errors: string[] = []
  const one = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const found = source(name)
    if (!found) return fallback
    const value = found.values[0]!
    const result = schema.safeParse(value)
    if (result.success) return result.data
    errors.push(`${found.label} ${result.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(value)})`)
    return fallback
  }
  const many = <T>(name: string, schema: z.ZodType<T>, fallback: T[]): T[] => {
    const found = source(name)
    if (!found) return fallback
    if (found.values.length === 0) {
      errors.push(`${found.label} must list at least one origin`)
      return fallback
    }
    return found.values.map((value) => {
      const result = schema.safeParse(value)
      if (!result.success) errors.push(`${found.label} ${result.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(value)})`)
      return result.success ? result.data : (value as T)
    })
  }
  const port = one('--port', PortSchema, DEFAULT_PORT)
  const dataDir = resolve(one('--data-dir', DataDirSchema, join(homedir(), '.slipway', 'runtime')))
  const origins = many('--origin', OriginSchema, [])
  const { token, tokenSource } = chooseToken(source('--token-file'), envToken, errors)
  if (errors.length > 0) return { ok: false, error: errors[0]! }
  if (origins.length === 0) {
    return {
      ok: false,
      error: 'no IDE origin given: pass --origin with the address you open Slipway at, e.g. --origin http://localhost:3000 (or set SLIPWAY_RUNTIME_ALLOWED_ORIGINS)',
    }
  }
  return { ok: true, options: { port, dataDir, origins, token }, tokenSource }
}

/// `--token-file` on the command line wins; of the two variables only one may be set; with none of them, a fresh
/// token. Errors name where the token came from, never the token.
function chooseToken(
  file: { values: string[]; label: string } | undefined,
  envToken: string | undefined,
  errors: string[],
): { token: string; tokenSource: TokenSource } {
  const fail = (error: string) => {
    errors.push(error)
    return { token: '', tokenSource: 'generated' as const }
  }
  let supplied: { token: string; tokenSource: TokenSource; label: string }
  if (file !== undefined && (file.label === '--token-file' || envToken === undefined)) {
    const path = resolve(file.values[0]!)
    const label = `${file.label} ${JSON.stringify(path)}`
    const read = readTokenFile(path)
    if (!read.ok) return fail(`${label} ${read.why}`)
    supplied = { token: read.token, tokenSource: { file: path }, label }
  } else if (file !== undefined) {
    return fail('SLIPWAY_RUNTIME_TOKEN and SLIPWAY_RUNTIME_TOKEN_FILE are both set: set only one')
  } else if (envToken !== undefined) {
    supplied = { token: envToken, tokenSource: 'SLIPWAY_RUNTIME_TOKEN', label: 'SLIPWAY_RUNTIME_TOKEN' }
  } else {
    return { token: createToken(), tokenSource: 'generated' }
  }
  const checked = TokenSchema.safeParse(supplied.token)
  if (!checked.success) return fail(`${supplied.label} ${checked.error.issues[0]?.message ?? 'is invalid'}`)
  return { token: supplied.token, tokenSource: supplied.tokenSource }
}

/// The token in a file that only its owner may read or write (mode 0600 or 0400), surrounding whitespace dropped.
/// Checked on the open file, so the file read is the file checked.
function readTokenFile(path: string): { ok: true; token: string } | { ok: false; why: string } {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    return { ok: false, why: `cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return { ok: false, why: 'is not a regular file' }
    const mode = stats.mode & 0o777
    if ((mode & 0o077) !== 0) {
      return { ok: false, why: `can be read or written by other users (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 on it` }
    }
    if (stats.size > 4096) return { ok: false, why: 'is larger than 4 KiB: it should hold just the token' }
    return { ok: true, token: readFileSync(fd, 'utf8').trim() }
  } finally {
    closeSync(fd)
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}
