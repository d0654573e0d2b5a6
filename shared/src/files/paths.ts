import { LIMITS } from './limits.ts'

/// Why a path is not a project file path. `ignored` paths are well formed but never synced or stored.
export type PathProblem = 'empty' | 'too_long' | 'absolute' | 'backslash' | 'control_char' | 'dot_segment' | 'empty_segment' | 'ignored'

export type PathCheck = { ok: true } | { ok: false; problem: PathProblem; message: string }

/// Folders whose contents live only in the runtime (`npm install` and builds recreate them).
export const IGNORED_DIRS = ['node_modules', '.git', 'dist', 'build', '.next'] as const

const encoder = new TextEncoder()

/// True for paths that are never synced: anything inside an ignored folder (at any depth) and `.env*` files.
export function isIgnoredPath(path: string, extraIgnores: readonly string[] = []): boolean {
  const segments = path.split('/')
  const last = segments[segments.length - 1] ?? ''
  if (last === '.env' || last.startsWith('.env.')) return true
  if (segments.slice(0, -1).some((s) => (IGNORED_DIRS as readonly string[]).includes(s))) return true
  return extraIgnores.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/'))
}

/// The rules a project file path must follow: relative, `/`-separated, no `.`/`..` or empty segments, no NUL or
/// control characters, at most 512 bytes, and not an ignored path.
export function checkProjectPath(path: string): PathCheck {
  const fail = (problem: PathProblem, message: string): PathCheck => ({ ok: false, problem, message })
  if (path.length === 0) return fail('empty', 'path is empty')
  if (encoder.encode(path).length > LIMITS.maxPathBytes) return fail('too_long', `path is longer than ${LIMITS.maxPathBytes} bytes`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return fail('control_char', 'path contains a control character')
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return fail('absolute', 'path must be relative')
  if (path.includes('\\')) return fail('backslash', 'path must use / as separator')
  for (const segment of path.split('/')) {
    if (segment === '') return fail('empty_segment', 'path has an empty segment')
    if (segment === '.' || segment === '..') return fail('dot_segment', 'path must not contain . or .. segments')
  }
  if (isIgnoredPath(path)) return fail('ignored', 'path is never synced (node_modules, .git, build output, .env files)')
  return { ok: true }
}
