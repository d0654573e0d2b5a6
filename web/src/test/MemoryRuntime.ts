import type { DirEntry, Disposable, FileSystemTree, Runtime, RuntimeEvents, RuntimeFs, WatchEvent } from '../core/runtime/index.ts'

const enc = new TextEncoder()
const dec = new TextDecoder()

/// An in-memory Runtime for core unit tests: a file system that reports every change to its watchers, and an
/// `external` handle standing in for programs running inside the runtime. It runs no processes.
export class MemoryRuntime implements Runtime {
  readonly kind = 'local' as const
  readonly fileData = new Map<string, Uint8Array>()
  readonly dirs = new Set<string>(['.'])
  private readonly watchers = new Set<(e: WatchEvent) => void>()
  /// Every fs call the IDE made, in order.
  readonly calls: string[] = []

  private emit(type: WatchEvent['type'], path: string) {
    for (const w of [...this.watchers]) queueMicrotask(() => w({ type, path }))
  }

  private mkdirs(path: string) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!this.dirs.has(dir)) {
        this.dirs.add(dir)
        this.emit('rename', dir)
      }
    }
  }

  private write(path: string, data: string | Uint8Array) {
    this.mkdirs(path)
    const existed = this.fileData.has(path)
    this.fileData.set(path, typeof data === 'string' ? enc.encode(data) : data)
    this.emit(existed ? 'change' : 'rename', path)
  }

  private remove(path: string) {
    const prefix = path + '/'
    for (const p of [...this.fileData.keys()]) if (p === path || p.startsWith(prefix)) this.fileData.delete(p)
    for (const d of [...this.dirs]) if (d === path || d.startsWith(prefix)) this.dirs.delete(d)
    this.emit('rename', path)
  }

  /// What a program in the runtime does (not the IDE).
  readonly external = {
    writeFile: (path: string, data: string | Uint8Array) => this.write(path, data),
    rm: (path: string) => this.remove(path),
    text: (path: string) => {
      const b = this.fileData.get(path)
      return b && dec.decode(b)
    },
  }

  readonly fs: RuntimeFs = {
    readFile: (async (path: string, encoding?: 'utf-8') => {
      this.calls.push(`readFile ${path}`)
      const b = this.fileData.get(path)
      if (!b) throw new Error(`ENOENT: ${path}`)
      return encoding ? dec.decode(b) : b
    }) as RuntimeFs['readFile'],
    writeFile: async (path, data) => {
      this.calls.push(`writeFile ${path}`)
      this.write(path, data)
    },
    mkdir: async (path) => {
      this.mkdirs(path + '/x')
    },
    rm: async (path) => {
      this.calls.push(`rm ${path}`)
      this.remove(path)
    },
    rename: async (from, to) => {
      const b = this.fileData.get(from)
      if (!b) throw new Error(`ENOENT: ${from}`)
      this.remove(from)
      this.write(to, b)
    },
    readdir: async (path): Promise<DirEntry[]> => {
      if (!this.dirs.has(path)) throw new Error(`ENOENT: ${path}`)
      const prefix = path === '.' ? '' : path + '/'
      const names = new Map<string, DirEntry['kind']>()
      for (const f of this.fileData.keys()) if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) names.set(f.slice(prefix.length), 'file')
      for (const d of this.dirs) if (d !== '.' && d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) names.set(d.slice(prefix.length), 'directory')
      return [...names].map(([name, kind]) => ({ name, kind }))
    },
    watch: (_path, listener): Disposable => {
      this.watchers.add(listener)
      return { dispose: () => this.watchers.delete(listener) }
    },
  }

  async mount(tree: FileSystemTree, base = ''): Promise<void> {
    for (const [name, node] of Object.entries(tree)) {
      const path = base ? `${base}/${name}` : name
      if ('directory' in node) {
        this.mkdirs(path + '/x')
        await this.mount(node.directory, path)
      } else this.write(path, node.file.contents)
    }
  }

  spawn(): never {
    throw new Error('MemoryRuntime runs no processes')
  }

  shell() {
    return { command: 'sh', args: [] }
  }

  on<E extends keyof RuntimeEvents>(_event: E, _listener: RuntimeEvents[E]): Disposable {
    return { dispose() {} }
  }

  async teardown(): Promise<void> {
    this.watchers.clear()
  }
}
