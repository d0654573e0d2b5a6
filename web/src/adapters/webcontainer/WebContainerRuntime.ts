import type {
  DirEntry,
  Disposable,
  FileSystemTree,
  PreviewMessage,
  Runtime,
  RuntimeEvents,
  RuntimeFs,
  RuntimeProcess,
  SpawnOptions,
  WatchEvent,
} from '../../core/runtime/index.ts'
import { PreviewMessages, type MessageSource } from '../preview/previewMessages.ts'
import type { WebContainerInstance } from './types.ts'

const decoder = new TextDecoder()

/// The `Runtime` port over a booted WebContainer. The project root is WebContainer's workdir, so port paths pass
/// through unchanged. Get one from `WebContainerBooter`, which owns the one-instance-per-page rule.
export class WebContainerRuntime implements Runtime {
  readonly kind = 'webcontainer'
  readonly fs: RuntimeFs
  readonly #container: WebContainerInstance
  readonly #onTeardown: () => void
  readonly #cleanups = new Set<() => void>()
  readonly #previewListeners = new Set<(message: PreviewMessage) => void>()
  #tornDown = false

  /// `onTeardown` runs once `teardown()` has handed the instance back, so the booter may boot the next one.
  /// `messages`: where preview pages post their console (the page's window); the booter has loaded the shared
  /// preview console script into every preview (`setPreviewScript`), as the local runtime's proxy does. Without it,
  /// `preview-message` never fires.
  constructor(container: WebContainerInstance, onTeardown: () => void = () => {}, options: { messages?: MessageSource } = {}) {
    this.#container = container
    this.#onTeardown = onTeardown
    this.fs = this.#createFs()
    if (options.messages) {
      const previews = new PreviewMessages(options.messages, (message) => {
        for (const listener of [...this.#previewListeners]) listener(message)
      })
      // Ports open before anything subscribes to `preview-message`: follow them from the start.
      const stopPorts = container.on('port', (port, type, url) => previews.track(port, type, url))
      this.#cleanups.add(() => {
        stopPorts()
        previews.dispose()
        this.#previewListeners.clear()
      })
    }
  }

  async mount(tree: FileSystemTree): Promise<void> {
    this.#assertAlive('mount')
    await this.#container.mount(tree)
  }

  async spawn(command: string, args: string[] = [], options: SpawnOptions = {}): Promise<RuntimeProcess> {
    this.#assertAlive('spawn')
    const { cwd, env, terminal } = options
    return this.#container.spawn(command, args, {
      ...(cwd === undefined ? {} : { cwd }),
      ...(env === undefined ? {} : { env }),
      ...(terminal === undefined ? {} : { terminal: { cols: terminal.cols, rows: terminal.rows } }),
    })
  }

  shell(): { command: string; args: string[] } {
    return { command: 'jsh', args: [] }
  }

  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): Disposable {
    this.#assertAlive('on')
    return this.#track(this.#subscribe(event, listener))
  }

  async teardown(): Promise<void> {
    if (this.#tornDown) return
    this.#tornDown = true
    for (const cleanup of [...this.#cleanups]) cleanup()
    this.#cleanups.clear()
    try {
      this.#container.teardown()
    } finally {
      this.#onTeardown()
    }
  }

  #subscribe<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): () => void {
    const container = this.#container
    // One branch per event keeps each listener's signature checked against WebContainer's own overloads.
    switch (event) {
      case 'server-ready':
        return container.on('server-ready', listener as RuntimeEvents['server-ready'])
      case 'port':
        return container.on('port', listener as RuntimeEvents['port'])
      case 'error':
        return container.on('error', listener as RuntimeEvents['error'])
      case 'preview-message': {
        const forward = listener as RuntimeEvents['preview-message']
        this.#previewListeners.add(forward)
        return () => void this.#previewListeners.delete(forward)
      }
      default:
        throw new RangeError(`Unknown runtime event "${String(event)}"`)
    }
  }

  #track(unsubscribe: () => void): Disposable {
    const cleanups = this.#cleanups
    let done = false
    const cleanup = () => {
      if (done) return
      done = true
      cleanups.delete(cleanup)
      unsubscribe()
    }
    cleanups.add(cleanup)
    return { dispose: cleanup }
  }

  #assertAlive(operation: string): void {
    if (this.#tornDown) throw new Error(`WebContainerRuntime.${operation}: the runtime was torn down`)
  }

  #createFs(): RuntimeFs {
    const fs = () => this.#container.fs
    const alive = (operation: string) => this.#assertAlive(`fs.${operation}`)
    const runtime = this
    function readFile(path: string): Promise<Uint8Array>
    function readFile(path: string, encoding: 'utf-8'): Promise<string>
    async function readFile(path: string, encoding?: 'utf-8'): Promise<Uint8Array | string> {
      alive('readFile')
      return encoding === undefined ? fs().readFile(path) : fs().readFile(path, encoding)
    }
    return {
      readFile,
      async writeFile(path, data) {
        alive('writeFile')
        await fs().writeFile(path, data)
      },
      async mkdir(path, options) {
        alive('mkdir')
        if (options?.recursive) await fs().mkdir(path, { recursive: true })
        else await fs().mkdir(path)
      },
      async rm(path, options) {
        alive('rm')
        await fs().rm(path, { recursive: options?.recursive ?? false, force: options?.force ?? false })
      },
      async rename(from, to) {
        alive('rename')
        await fs().rename(from, to)
      },
      async readdir(path): Promise<DirEntry[]> {
        alive('readdir')
        const entries = await fs().readdir(path, { withFileTypes: true })
        return entries.map((entry) => ({ name: entry.name, kind: entry.isDirectory() ? 'directory' : 'file' }))
      },
      watch(path, listener) {
        alive('watch')
        const watcher = fs().watch(path, { recursive: true }, (event, filename) => {
          const name = typeof filename === 'string' ? filename : decoder.decode(filename)
          listener({ type: event, path: joinWatchPath(path, name) } satisfies WatchEvent)
        })
        return runtime.#track(() => watcher.close())
      },
    }
  }
}

/// The project-relative path of `filename`, which a watch on `base` reported relative to `base`.
export function joinWatchPath(base: string, filename: string): string {
  const trimmed = base.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '')
  const prefix = trimmed === '.' || trimmed === '' ? '' : `${trimmed}/`
  return `${prefix}${filename.replace(/^(?:\.\/)+/, '')}`
}
