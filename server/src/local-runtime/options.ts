import { randomBytes } from 'node:crypto'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'

/// What the agent runs with. See `parseOptions` for the flags and variables that set each.
export interface AgentOptions {
  /// 0 picks a free port.
  port: number
  dataDir: string
  /// Exact `Origin` values allowed to connect.
  origins: string[]
  token: string
}

export const DEFAULT_PORT = 4100
export const DEFAULT_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:5173', 'http://127.0.0.1:5173']

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
const TokenSchema = z.string().regex(/^[A-Za-z0-9._~-]{16,512}$/, 'must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ -')

interface Flag {
  env: string
  repeatable?: boolean
}
const FLAGS: Record<string, Flag> = {
  '--port': { env: 'SLIPWAY_RUNTIME_PORT' },
  '--data-dir': { env: 'SLIPWAY_RUNTIME_DATA_DIR' },
  '--origin': { env: 'SLIPWAY_RUNTIME_ALLOWED_ORIGINS', repeatable: true },
  '--token': { env: 'SLIPWAY_RUNTIME_TOKEN' },
}

export const USAGE = `usage: pnpm runtime:local -- [--port N] [--data-dir DIR] [--origin URL]... [--token T]
  --port N        port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)    env SLIPWAY_RUNTIME_PORT
  --data-dir DIR  where projects live (default ~/.slipway/runtime)              env SLIPWAY_RUNTIME_DATA_DIR
  --origin URL    an IDE origin allowed to connect, repeatable                  env SLIPWAY_RUNTIME_ALLOWED_ORIGINS (comma-separated)
                  (default ${DEFAULT_ORIGINS.join(', ')})
  --token T       the connection token (default: a fresh random one)            env SLIPWAY_RUNTIME_TOKEN`

export type ParsedOptions = { ok: true; options: AgentOptions } | { ok: false; error: string } | { ok: 'help' }

/// Reads the command line (`--flag value` or `--flag=value`; a lone `--` is skipped), falling back to the
/// environment, then to defaults. Flags win over variables; empty variables count as unset. A bad value yields one
/// line naming the flag.
export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedOptions {
  const given = new Map<string, string[]>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') return { ok: 'help' }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
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
  return buildOptions(source)
}

function buildOptions(source: (name: string) => { values: string[]; label: string } | undefined): ParsedOptions {
  const errors: string[] = []
  const one = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const found = source(name)
    if (!found) return fallback
    const value = found.values[0]!
    const result = schema.safeParse(value)
    if (result.success) return result.data
    const got = name === '--token' ? '' : ` (got ${JSON.stringify(value)})`
    errors.push(`${found.label} ${result.error.issues[0]?.message ?? 'is invalid'}${got}`)
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
  const origins = many('--origin', OriginSchema, DEFAULT_ORIGINS)
  const token = one('--token', TokenSchema, '') || createToken()
  if (errors.length > 0) return { ok: false, error: errors[0]! }
  return { ok: true, options: { port, dataDir, origins, token } }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}
