import { FILES_MAP, FOLDERS_MAP, LIMITS, checkProjectPath, filePathOf, isIgnoredPath } from '@slipway/shared'
import * as Y from 'yjs'
import type { Disposable, FileSystemTree, Runtime, WatchEvent } from '../runtime/index.ts'
import { parentOf } from './fileTree.ts'
import { mergeRuntimeChange } from './runtimeMerge.ts'
import type { Splice } from './textDiff.ts'

export interface RuntimeBridgeOptions {
  /// Quiet time after the last edit before files are written into the runtime.
  debounceMs?: number
  /// Longest an edit waits while edits keep coming (the dev server must see it within this).
  maxWaitMs?: number
  /// Problems worth showing (a file too big to sync, a failed write); the bridge keeps going.
  onProblem?: (message: string) => void
}

type FileValue = Y.Text | Uint8Array

const decoder = new TextDecoder('utf-8', { fatal: true })

/// Text if the bytes are UTF-8 without NUL; otherwise the file is binary.
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

/// Keeps a project's Y.Doc and a runtime's file system in step, both ways:
/// - edits in the doc (keystrokes, sync from other devices) are written into the runtime, debounced, so dev servers
///   see them;
/// - changes made by programs in the runtime (npm init, codegen, `echo > x`) come back into the doc as minimal text
///   splices tagged with this bridge as origin, so open editors and the file tree follow. A program's change is the
///   difference between what the runtime holds and what the bridge last wrote there or read from there, applied
///   past the doc's own unwritten edits (runtimeMerge.ts); where both changed the same place, the doc is kept.
/// Paths that are never synced (node_modules, .git, build output, .env*) stay in the runtime only.
export class RuntimeBridge {
  private readonly files: Y.Map<FileValue>
  /// Empty folders the project keeps (`FOLDERS_MAP`).
  private readonly folders: Y.Map<true>
  private readonly pending = new Set<string>()
  /// Folders added to or removed from `folders` and not yet made or removed in the runtime.
  private readonly pendingFolders = new Set<string>()
  /// Per path, bumped when a write into the runtime starts and again when it ends (odd: one is in flight; flushes
  /// run one at a time). A runtime read that overlapped a write may hold what was there before it.
  private readonly writeEpoch = new Map<string, number>()
  /// Per text file, what the runtime held when the bridge last wrote it or read it: the base a program's change is
  /// measured from.
  private readonly base = new Map<string, string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private firstPendingAt = 0
  private flushing: Promise<void> = Promise.resolve()
  private readonly queue: string[] = []
  private draining = false
  private watch: Disposable | undefined
  private disposed = false
  private readonly debounceMs: number
  private readonly maxWaitMs: number

  constructor(
    private readonly doc: Y.Doc,
    private readonly runtime: Runtime,
    private readonly options: RuntimeBridgeOptions = {},
  ) {
    this.files = doc.getMap<FileValue>(FILES_MAP)
    this.folders = doc.getMap<true>(FOLDERS_MAP)
    this.debounceMs = options.debounceMs ?? 60
    this.maxWaitMs = options.maxWaitMs ?? 150
  }

  /// Writes every doc file into the runtime, removes runtime files the doc does not have (the doc is the truth
  /// when a project opens), then follows changes both ways.
  async start(): Promise<void> {
    const tree = treeOf(this.files, this.folders)
    for (const [path, value] of this.files.entries()) if (value instanceof Y.Text) this.base.set(path, value.toString())
    await this.runtime.mount(tree)
    await this.removeStale('.')
    this.files.observeDeep(this.onDocChange)
    this.folders.observe(this.onFoldersChange)
    this.watch = this.runtime.fs.watch('.', this.onRuntimeChange)
  }

  /// Writes pending doc edits now.
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    const paths = [...this.pending]
    this.pending.clear()
    const folders = [...this.pendingFolders]
    this.pendingFolders.clear()
    const write = async () => {
      // Folders a deletion may leave empty, tried once the files are gone.
      const emptied = new Set<string>()
      for (const path of paths) {
        if (!this.files.has(path)) for (let dir = parentOf(path); dir; dir = parentOf(dir)) emptied.add(dir)
        const value = this.files.get(path)
        const data = value instanceof Y.Text ? value.toString() : value
        this.bumpWriteEpoch(path)
        try {
          if (data === undefined) await this.runtime.fs.rm(path, { force: true, recursive: true })
          else await this.runtime.fs.writeFile(path, data)
          if (typeof data === 'string') this.base.set(path, data)
          else this.base.delete(path)
        } catch (err) {
          this.options.onProblem?.(`Could not write ${path} into the runtime: ${String(err)}`)
        } finally {
          this.bumpWriteEpoch(path)
        }
      }
      for (const folder of folders) {
        if (this.folders.has(folder)) {
          await this.runtime.fs.mkdir(folder, { recursive: true }).catch((err: unknown) => {
            this.options.onProblem?.(`Could not create the folder ${folder} in the runtime: ${String(err)}`)
          })
        } else for (let dir: string | undefined = folder; dir; dir = parentOf(dir)) emptied.add(dir)
      }
      // Deepest first, so a parent is tried after its children went.
      for (const dir of [...emptied].sort((a, b) => b.length - a.length)) await this.removeIfEmpty(dir)
    }
    this.flushing = this.flushing.then(write, write)
    await this.flushing
  }

  /// Everything written and read so far has landed (for tests and before teardown).
  async settled(): Promise<void> {
    await this.flush()
    while (this.draining || this.queue.length) await new Promise((r) => setTimeout(r, 10))
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    this.files.unobserveDeep(this.onDocChange)
    this.folders.unobserve(this.onFoldersChange)
    this.watch?.dispose()
  }

  private readonly onFoldersChange = (event: Y.YMapEvent<true>, tr: Y.Transaction) => {
    if (tr.origin === this) return
    for (const key of event.keysChanged) this.pendingFolders.add(key)
    if (this.pendingFolders.size) this.schedule()
  }

  /// Whether the project has anything at or under `dir`: a file, or a folder it keeps.
  private holds(dir: string): boolean {
    const prefix = dir + '/'
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return true
    for (const f of this.folders.keys()) if (f === dir || f.startsWith(prefix)) return true
    return false
  }

  /// Removes a runtime folder the project no longer holds, if nothing at all is left in it. Whatever is not synced
  /// (a `.env`, `node_modules`) keeps its folder: the bridge never deletes what it cannot bring back.
  private async removeIfEmpty(dir: string): Promise<void> {
    if (this.holds(dir)) return
    try {
      if ((await this.runtime.fs.readdir(dir)).length === 0) await this.runtime.fs.rm(dir, { recursive: true, force: true })
    } catch {
      // Already gone.
    }
  }

  private readonly onDocChange = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tr: Y.Transaction) => {
    if (tr.origin === this) return
    for (const event of events) {
      if (event.target === this.files) for (const key of (event as Y.YMapEvent<FileValue>).keysChanged) this.pending.add(key)
      else {
        const key = filePathOf(event.target, this.files)
        if (key) this.pending.add(key)
      }
    }
    if (this.pending.size) this.schedule()
  }

  private schedule(): void {
    const now = Date.now()
    if (!this.timer) this.firstPendingAt = now
    clearTimeout(this.timer)
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - now))
    this.timer = setTimeout(() => void this.flush(), wait)
  }

  private readonly onRuntimeChange = (event: WatchEvent) => {
    if (!this.synced(event.path)) return
    if (!this.queue.includes(event.path)) this.queue.push(event.path)
    void this.drain()
  }

  private synced(path: string): boolean {
    return path !== '.' && path !== '' && checkProjectPath(path).ok
  }

  private async drain(): Promise<void> {
    if (this.draining) return
    this.draining = true
    try {
      while (this.queue.length && !this.disposed) await this.pullFromRuntime(this.queue.shift()!)
    } finally {
      this.draining = false
    }
  }

  /// Brings one runtime path into the doc: a file's contents, a new folder's files, or a deletion.
  private async pullFromRuntime(path: string): Promise<void> {
    const epoch = this.writeEpoch.get(path) ?? 0
    let bytes: Uint8Array | undefined
    try {
      bytes = await this.runtime.fs.readFile(path)
    } catch {
      bytes = undefined
    }
    // Written (or being written) by this bridge meanwhile: what was read may be from before that write, and taking
    // it would undo keystrokes. The write's own watch event comes later. (Keystrokes made while the read was under
    // way are the doc's unwritten edit, which applyFile merges past.)
    if (epoch % 2 === 1 || (this.writeEpoch.get(path) ?? 0) !== epoch) return
    if (bytes) return this.applyFile(path, bytes)
    try {
      const entries = await this.runtime.fs.readdir(path)
      if (isIgnoredPath(`${path}/x`)) return
      let synced = 0
      for (const e of entries) {
        const child = `${path}/${e.name}`
        if (!this.synced(child)) continue
        synced++
        if (!this.queue.includes(child)) this.queue.push(child)
      }
      // A folder a program made with nothing (synced) in it: the project keeps it, so it outlives a reload and
      // reaches the other devices.
      if (synced === 0 && !this.holds(path) && !this.pendingFolders.has(path)) this.doc.transact(() => this.folders.set(path, true), this)
    } catch {
      // Gone: the file, or a folder with everything under it.
      const prefix = path + '/'
      for (const p of [...this.base.keys()]) if (p === path || p.startsWith(prefix)) this.base.delete(p)
      // A file with an unwritten doc edit stays, and its write brings it back.
      const gone = [...this.files.keys()].filter((p) => (p === path || p.startsWith(prefix)) && !this.pending.has(p))
      const goneFolders = [...this.folders.keys()].filter((f) => (f === path || f.startsWith(prefix)) && !this.pendingFolders.has(f))
      if (gone.length || goneFolders.length) {
        this.doc.transact(() => {
          gone.forEach((p) => this.files.delete(p))
          goneFolders.forEach((f) => this.folders.delete(f))
        }, this)
      }
    }
  }

  private bumpWriteEpoch(path: string): void {
    this.writeEpoch.set(path, (this.writeEpoch.get(path) ?? 0) + 1)
  }

  private applyFile(path: string, bytes: Uint8Array): void {
    if (bytes.byteLength > LIMITS.maxFileBytes) {
      this.options.onProblem?.(`${path} is larger than ${LIMITS.maxFileBytes / 1024 / 1024} MB; it stays in the runtime and is not saved`)
      return
    }
    const current = this.files.get(path)
    const text = decodeText(bytes)
    if (text !== undefined && current instanceof Y.Text) return this.mergeText(path, current, text)
    if (text !== undefined) this.base.set(path, text)
    else this.base.delete(path)
    this.doc.transact(() => {
      if (text !== undefined) {
        this.files.set(path, new Y.Text(text))
      } else if (!(current instanceof Uint8Array) || !sameBytes(current, bytes)) {
        this.files.set(path, bytes)
      }
    }, this)
  }

  /// Takes a program's change to a text file the doc has, relative to what the bridge last saw in the runtime.
  private mergeText(path: string, current: Y.Text, disk: string): void {
    const doc = current.toString()
    // No base: the file is new in the doc and not written yet (then both made it), or its last write failed (then
    // the runtime's text is the newer).
    const merge = mergeRuntimeChange(this.base.get(path) ?? (this.pending.has(path) ? undefined : doc), disk, doc)
    this.base.set(path, disk)
    if (merge.kind === 'apply') this.doc.transact(() => applyTo(current, merge.splice), this)
    if (merge.kind === 'conflict') {
      const message = `${path} was changed in the runtime (by a program) where you were editing it; your edit was kept and the program's change to it was not`
      this.options.onProblem?.(message)
    }
    // The doc holds what the runtime lacks (its own edit, past which the program's change was merged): write it.
    if (current.toString() !== disk && !this.pending.has(path)) {
      this.pending.add(path)
      this.schedule()
    }
  }

  private async removeStale(path: string): Promise<void> {
    let entries
    try {
      entries = await this.runtime.fs.readdir(path)
    } catch {
      return
    }
    for (const e of entries) {
      const child = path === '.' ? e.name : `${path}/${e.name}`
      if (e.kind === 'directory') {
        if (isIgnoredPath(`${child}/x`)) continue
        if (this.holds(child)) await this.removeStale(child)
        else await this.runtime.fs.rm(child, { recursive: true, force: true })
      } else if (checkProjectPath(child).ok && !this.files.has(child)) await this.runtime.fs.rm(child, { force: true })
    }
  }
}

function applyTo(text: Y.Text, splice: Splice): void {
  if (splice.remove) text.delete(splice.index, splice.remove)
  if (splice.insert) text.insert(splice.index, splice.insert)
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/// The doc's files as a tree to mount.
export function treeOf(files: Y.Map<FileValue>, folders?: Y.Map<true>): FileSystemTree {
  const root: FileSystemTree = {}
  for (const folder of folders?.keys() ?? []) {
    let dir = root
    for (const part of folder.split('/')) {
      const node = (dir[part] ??= { directory: {} })
      if (!('directory' in node)) break
      dir = node.directory
    }
  }
  for (const [path, value] of files.entries()) {
    const parts = path.split('/')
    let dir = root
    for (const part of parts.slice(0, -1)) {
      const node = (dir[part] ??= { directory: {} })
      if (!('directory' in node)) break
      dir = node.directory
    }
    dir[parts[parts.length - 1]!] = { file: { contents: value instanceof Y.Text ? value.toString() : value } }
  }
  return root
}
