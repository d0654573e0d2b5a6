import { sep } from 'node:path'
import { watch as chokidarWatch } from 'chokidar'
import { toWirePath } from './paths.ts'

export interface WatchEvent {
  event: 'change' | 'rename'
  /// Relative to the project root, `/`-separated.
  path: string
}

export interface Watch {
  close(): Promise<void>
}

/// Folders whose contents are never watched (their own appearance is): `npm install` would flood the socket, and
/// each folder costs an inotify watch.
const OPAQUE = new Set(['node_modules', '.git'])

/// Whether `path` (absolute) lies inside an opaque folder below `base`.
export function insideOpaque(base: string, path: string): boolean {
  if (!path.startsWith(base)) return false
  const segments = path.slice(base.length).split(sep).filter(Boolean)
  return segments.slice(0, -1).some((s) => OPAQUE.has(s))
}

/// Watches `absolute` (inside the project `root`) recursively with chokidar: one non-recursive fs.watch per folder,
/// so opaque folders can be skipped, which Node's `fs.watch({recursive:true})` cannot do. Symlinks are reported but
/// not followed, so nothing outside the project is watched. Entries appearing or vanishing are `rename`, content
/// changes `change`, as WebContainer reports them. Resolves once the initial scan is done, so any change after it is
/// seen, whichever process makes it.
export async function startWatch(root: string, absolute: string, onEvent: (event: WatchEvent) => void, onError: (error: Error) => void): Promise<Watch> {
  const watcher = chokidarWatch(absolute, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (path) => insideOpaque(absolute, path),
  })
  watcher.on('all', (kind, path) => {
    const event = kind === 'change' ? 'change' : 'rename'
    onEvent({ event, path: toWirePath(root, path) })
  })
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return { close: () => watcher.close() }
}
