import { watch as watchNode, type FSWatcher } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type {
  BufferEncoding as WebContainerEncoding,
  DirEnt,
  FileSystemAPI,
  FSWatchCallback,
  FSWatchOptions,
  IFSWatcher,
} from '@webcontainer/api'

/// WebContainer's `FileSystemAPI` over a real folder: paths resolve against the workdir, results have the
/// documented shapes (plain `Uint8Array`s, `DirEnt`s with `isFile`/`isDirectory`), errors are Node's
/// (`ENOENT: no such file or directory, open '…'`), and `watch` is Node's `fs.watch` (recursive works on Linux
/// since Node 20).
export class FakeFileSystem implements FileSystemAPI {
  readonly #workdir: string
  readonly #watchers = new Set<FSWatcher>()

  constructor(workdir: string) {
    this.#workdir = workdir
  }

  /// Closes every watcher (teardown).
  closeWatchers(): void {
    for (const watcher of this.#watchers) watcher.close()
    this.#watchers.clear()
  }

  readdir(path: string, options: 'buffer' | { encoding: 'buffer'; withFileTypes?: false }): Promise<Uint8Array[]>
  readdir(
    path: string,
    options?: { encoding?: WebContainerEncoding | null; withFileTypes?: false } | WebContainerEncoding | null,
  ): Promise<string[]>
  readdir(path: string, options: { encoding: 'buffer'; withFileTypes: true }): Promise<DirEnt<Uint8Array>[]>
  readdir(
    path: string,
    options: { encoding?: WebContainerEncoding | null; withFileTypes: true },
  ): Promise<DirEnt<string>[]>
  async readdir(
    path: string,
    options?:
      | { encoding?: WebContainerEncoding | 'buffer' | null; withFileTypes?: boolean }
      | WebContainerEncoding
      | 'buffer'
      | null,
  ): Promise<Uint8Array[] | string[] | DirEnt<Uint8Array>[] | DirEnt<string>[]> {
    const settings = typeof options === 'object' && options !== null ? options : { encoding: options }
    const binary = settings.encoding === 'buffer'
    const name = (raw: string) => (binary ? new TextEncoder().encode(raw) : raw)
    const entries = await readdir(this.#resolve(path), { withFileTypes: true })
    if (!settings.withFileTypes) return entries.map((entry) => name(entry.name)) as Uint8Array[] | string[]
    return entries.map((entry) => ({
      name: name(entry.name),
      isFile: () => entry.isFile(),
      isDirectory: () => entry.isDirectory(),
    })) as DirEnt<Uint8Array>[] | DirEnt<string>[]
  }

  readFile(path: string, encoding?: null): Promise<Uint8Array>
  readFile(path: string, encoding: WebContainerEncoding): Promise<string>
  async readFile(path: string, encoding?: WebContainerEncoding | null): Promise<Uint8Array | string> {
    const data = await readFile(this.#resolve(path))
    return encoding ? data.toString(encoding) : new Uint8Array(data)
  }

  async writeFile(
    path: string,
    data: string | Uint8Array,
    options?: string | { encoding?: string | null } | null,
  ): Promise<void> {
    const encoding = (typeof options === 'string' ? options : options?.encoding) ?? 'utf8'
    await writeFile(this.#resolve(path), data, { encoding: encoding as BufferEncoding })
  }

  mkdir(path: string, options?: { recursive?: false }): Promise<void>
  mkdir(path: string, options: { recursive: true }): Promise<string>
  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void | string> {
    const target = this.#resolve(path)
    if (!options?.recursive) return mkdir(target)
    await mkdir(target, { recursive: true })
    return target
  }

  async rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void> {
    await rm(this.#resolve(path), { force: options?.force ?? false, recursive: options?.recursive ?? false })
  }

  async rename(oldPath: string, newPath: string): Promise<void> {
    await rename(this.#resolve(oldPath), this.#resolve(newPath))
  }

  watch(filename: string, options?: FSWatchOptions, listener?: FSWatchCallback): IFSWatcher
  watch(filename: string, listener?: FSWatchCallback): IFSWatcher
  watch(
    filename: string,
    optionsOrListener?: FSWatchOptions | FSWatchCallback,
    listener?: FSWatchCallback,
  ): IFSWatcher {
    const options = typeof optionsOrListener === 'function' ? null : optionsOrListener
    const callback = typeof optionsOrListener === 'function' ? optionsOrListener : listener
    const settings: Exclude<FSWatchOptions, string | null> =
      typeof options === 'string' ? { encoding: options as WebContainerEncoding } : (options ?? {})
    const watcher = watchNode(
      this.#resolve(filename),
      {
        recursive: settings.recursive ?? false,
        persistent: settings.persistent ?? true,
        encoding: (settings.encoding ?? 'utf8') as BufferEncoding,
      },
      (event, name) => {
        if (name !== null && (event === 'rename' || event === 'change')) callback?.(event, name)
      },
    )
    watcher.on('error', () => {})
    this.#watchers.add(watcher)
    return {
      close: () => {
        this.#watchers.delete(watcher)
        watcher.close()
      },
    }
  }

  #resolve(path: string): string {
    return resolve(this.#workdir, path)
  }
}
