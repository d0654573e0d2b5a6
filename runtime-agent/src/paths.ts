import { lstat, realpath } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { RuntimeFailure, systemErrorCode } from './errors.ts'

/// Splits a wire path (relative, `/`-separated; `.` is the root) into its segments, refusing absolute paths, `..`
/// segments and NUL bytes. Pure: it does not look at the disk.
export function pathSegments(path: string): string[] {
  if (path.includes('\0')) throw refused(path, 'contains a NUL byte')
  if (path.startsWith('/')) throw refused(path, 'is absolute')
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw refused(path, 'has a ".." segment')
  return segments
}

/// Whether `path` is `root` or lies under it (both absolute and normalized).
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}

/// The absolute path of a wire path inside the project `root` (itself a real path). Refuses with `path_refused`
/// anything that is not confined: besides `pathSegments`' rules, the real path of the nearest existing ancestor
/// (the path itself when it exists) must lie inside `root`, so a symlink pointing outside cannot be read, written,
/// listed, renamed or deleted through. A dangling symlink on the way is refused too, since writing through it would
/// create its target wherever it points.
///
/// Checks and use are separate system calls: a process racing to swap a folder for a symlink in between is not
/// stopped here (processes the agent spawns run with the user's rights anyway).
export async function resolveInside(root: string, path: string): Promise<string> {
  const absolute = join(root, ...pathSegments(path))
  let candidate = absolute
  for (;;) {
    const real = await realOrMissing(candidate, path)
    if (real !== undefined) {
      if (!isInside(root, real)) throw refused(path, 'leads outside the project')
      return absolute
    }
    if (candidate === root) throw new RuntimeFailure('internal', 'project folder is missing')
    candidate = dirname(candidate)
  }
}

/// Like `resolveInside`, and also refuses the project root itself (for rm and rename).
export async function resolveEntryInside(root: string, path: string): Promise<string> {
  const absolute = await resolveInside(root, path)
  if (absolute === root) throw refused(path, 'is the project root')
  return absolute
}

/// The absolute path of the entry a wire path names, for operations on the entry itself that never follow it (rm):
/// its parent folder must resolve inside `root` (`resolveInside`), and the last segment is not followed, so a symlink
/// pointing outside the project, or dangling, names the link, never its target. Refuses the project root.
export async function resolveEntryItselfInside(root: string, path: string): Promise<string> {
  const segments = pathSegments(path)
  const name = segments.pop()
  if (name === undefined) throw refused(path, 'is the project root')
  return join(await resolveInside(root, segments.length > 0 ? segments.join('/') : '.'), name)
}

/// The wire path (relative, `/`-separated) of an absolute path under `root`.
export function toWirePath(root: string, absolute: string): string {
  const rel = relative(root, absolute)
  return rel === '' ? '.' : rel.split(sep).join('/')
}

async function realOrMissing(candidate: string, path: string): Promise<string | undefined> {
  try {
    return await realpath(candidate)
  } catch (error) {
    const code = systemErrorCode(error)
    if (code === 'ELOOP') throw refused(path, 'goes through a symbolic link loop')
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
  }
  const stats = await lstat(candidate).catch(() => undefined)
  if (stats?.isSymbolicLink()) throw refused(path, 'goes through a dangling symbolic link')
  return undefined
}

function refused(path: string, why: string): RuntimeFailure {
  return new RuntimeFailure('path_refused', `path ${JSON.stringify(path)} ${why}`)
}
