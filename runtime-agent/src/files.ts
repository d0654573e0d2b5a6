import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { WireTree } from '@slipway/shared'
import { RuntimeFailure, systemErrorCode } from './errors.ts'
import { isInside, resolveEntryInside, resolveEntryItselfInside, resolveInside } from './paths.ts'

/// File operations on one project folder. Every path is a wire path confined by `resolveInside`; `root` is the
/// project folder's real path. File-system failures become `fs_error` with the errno and the wire path.

export type Encoding = 'utf-8' | 'base64'
export interface DirEntry {
  name: string
  kind: 'file' | 'directory'
}

export async function readFileAt(root: string, path: string, encoding: Encoding): Promise<string> {
  const absolute = await resolveInside(root, path)
  const bytes = await fsCall('readFile', path, () => readFile(absolute))
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf-8')
}

/// Writes the file, creating its parent folders.
export async function writeFileAt(root: string, path: string, data: string, encoding: Encoding): Promise<void> {
  const absolute = await resolveInside(root, path)
  await fsCall('writeFile', path, async () => {
    await mkdir(dirname(absolute), { recursive: true })
    await writeFile(absolute, decode(data, encoding))
  })
}

export async function mkdirAt(root: string, path: string, recursive: boolean): Promise<void> {
  const absolute = await resolveInside(root, path)
  await fsCall('mkdir', path, () => mkdir(absolute, { recursive }))
}

/// Removes a file, a symlink (never its target, wherever it points) or, with `recursive`, a folder. The project root
/// cannot be removed.
export async function rmAt(root: string, path: string, recursive: boolean, force: boolean): Promise<void> {
  // `rm` looks at the entry with lstat: a symlink is unlinked, and a recursive rm never descends through one.
  const absolute = await resolveEntryItselfInside(root, path)
  await fsCall('rm', path, () => rm(absolute, { recursive, force }))
}

export async function renameAt(root: string, from: string, to: string): Promise<void> {
  const source = await resolveEntryInside(root, from)
  const target = await resolveEntryInside(root, to)
  await fsCall('rename', `${from} -> ${to}`, () => rename(source, target))
}

/// Lists a folder. A symlink counts as a folder only when it resolves to a folder inside the project.
export async function readdirAt(root: string, path: string): Promise<DirEntry[]> {
  const absolute = await resolveInside(root, path)
  const dirents = await fsCall('readdir', path, () => readdir(absolute, { withFileTypes: true }))
  return Promise.all(
    dirents.map(async (d): Promise<DirEntry> => {
      if (d.isDirectory()) return { name: d.name, kind: 'directory' }
      if (d.isSymbolicLink() && (await isDirectoryInside(root, join(absolute, d.name)))) return { name: d.name, kind: 'directory' }
      return { name: d.name, kind: 'file' }
    }),
  )
}

/// Writes a tree into the folder at `path` (the root by default), creating folders; existing files are overwritten.
/// Files are written up to `MOUNT_CONCURRENCY` at a time.
export async function mountAt(root: string, tree: WireTree, path = '.'): Promise<void> {
  await mountInto(root, tree, path, limiter(MOUNT_CONCURRENCY))
}

// Enough to keep the thread pool busy, few enough to stay far from the open-files limit.
const MOUNT_CONCURRENCY = 32

async function mountInto(root: string, tree: WireTree, path: string, limit: Limit): Promise<void> {
  const entries = Object.entries(tree)
  for (const [name] of entries) {
    if (name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new RuntimeFailure('path_refused', `tree entry name ${JSON.stringify(name)} is not a single path segment`)
    }
  }
  await Promise.all(
    entries.map(async ([name, node]) => {
      const child = path === '.' ? name : `${path}/${name}`
      if ('file' in node) {
        await limit(() => writeFileAt(root, child, node.file.contents, node.file.encoding))
      } else {
        await limit(() => mkdirAt(root, child, true))
        await mountInto(root, node.directory, child, limit)
      }
    }),
  )
}

type Limit = <T>(run: () => Promise<T>) => Promise<T>

function limiter(max: number): Limit {
  let active = 0
  const waiting: (() => void)[] = []
  return async (run) => {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds `max`.
    if (active < max) active++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await run()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

function decode(data: string, encoding: Encoding): Buffer {
  return Buffer.from(data, encoding === 'base64' ? 'base64' : 'utf-8')
}

async function isDirectoryInside(root: string, link: string): Promise<boolean> {
  try {
    const real = await realpath(link)
    return isInside(root, real) && (await stat(real)).isDirectory()
  } catch {
    return false
  }
}

async function fsCall<T>(op: string, path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    const errno = systemErrorCode(error)
    if (errno === undefined) throw error
    throw new RuntimeFailure('fs_error', `${errno}: ${op} ${JSON.stringify(path)}`, errno)
  }
}
