import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  BootOptions,
  CodeListener,
  ErrorListener,
  FileSystemTree,
  OpenListener,
  PortListener,
  PreviewMessage,
  PreviewMessageListener,
  PreviewScriptOptions,
  ServerReadyListener,
  SpawnOptions,
  Unsubscribe,
  WebContainerProcess,
} from '@webcontainer/api'
import type { WebContainerClass, WebContainerInstance } from '../adapters/webcontainer/types.ts'
import { FakeFileSystem } from './fakeFileSystem.ts'
import { spawnProcess } from './fakeProcess.ts'
import { PortWatcher } from './portWatcher.ts'
import { killTree } from './procfs.ts'

/// Controls the fake's `boot`, for tests of how boot failures are handled.
export interface FakeBootControl {
  /// Runs inside every boot after it acquired the one-boot-at-a-time lock: throw to make the boot reject, or
  /// return a promise that never settles to make it hang (StackBlitz unreachable).
  readonly beforeBoot?: (options: BootOptions) => void | Promise<void>
}

/// The fake's static side for one page, with what a test wants to know about its boots.
export interface FakeWebContainerClass extends WebContainerClass {
  boot(options?: BootOptions): Promise<FakeWebContainer>
  /// The options of every `boot` call, in call order.
  readonly boots: readonly BootOptions[]
  /// The instance currently booted (until its teardown finished).
  readonly instance: FakeWebContainer | null
  /// Resolves once the last `teardown()` finished killing processes and deleting the workdir (the real
  /// WebContainer keeps this promise private; tests await it so nothing outlives them).
  whenTornDown(): Promise<void>
}

type Events = {
  port: PortListener
  'server-ready': ServerReadyListener
  'preview-message': PreviewMessageListener
  error: ErrorListener
  'xdg-open': OpenListener
  code: CodeListener
}
type Listeners = { [E in keyof Events]: Set<Events[E]> }

/// `WebContainer` from `@webcontainer/api`, emulated over the real OS for node tests (Linux only). What it
/// follows exactly: the documented shapes of every method, event and callback; `boot` allowing one instance at a
/// time and waiting for a teardown in progress; `teardown` returning nothing and refusing a second call. What it
/// emulates: the file system is a temp folder (the workdir); processes are real child processes (see
/// `spawnProcess` for pipes versus pseudo-terminal); `port` and `server-ready` come from watching `/proc` (see
/// `PortWatcher`), with loopback URLs instead of WebContainer's per-port origins; `preview-message` and `error`
/// are only emitted through `emitPreviewMessage` / `emitError`, since there is no preview iframe; `setPreviewScript`
/// only records the script (`previewScripts`). Not supported: `jsh` (use a real shell), binary snapshots in `mount`,
/// `export`.
export class FakeWebContainer implements WebContainerInstance {
  readonly fs: FakeFileSystem
  readonly #workdir: string
  readonly #listeners: Listeners = {
    port: new Set(),
    'server-ready': new Set(),
    'preview-message': new Set(),
    error: new Set(),
    'xdg-open': new Set(),
    code: new Set(),
  }
  /// Every `setPreviewScript` call, in order.
  readonly previewScripts: Array<{ scriptSrc: string; options: PreviewScriptOptions | undefined }> = []
  readonly #live = new Set<number>()
  readonly #spawned = new Set<number>()
  readonly #onTeardown: (done: Promise<void>) => void
  #ports: PortWatcher | null = null
  #tornDown = false

  /// Defines a fresh `WebContainer` class: its own boot lock and instance slot, like a fresh page.
  static define(control: FakeBootControl = {}): FakeWebContainerClass {
    let instance: FakeWebContainer | null = null
    let teardown: Promise<void> | null = null
    let lock: Promise<unknown> | null = null
    const boots: BootOptions[] = []
    return {
      boots,
      get instance() {
        return instance
      },
      async whenTornDown() {
        await teardown
      },
      async boot(options: BootOptions = {}): Promise<FakeWebContainer> {
        boots.push(options)
        await teardown
        teardown = null
        const { workdirName } = options
        if (workdirName?.includes('/') || workdirName === '..' || workdirName === '.') {
          throw new Error('workdirName should be a valid folder name')
        }
        while (lock) await lock
        if (instance) throw new Error('Only a single WebContainer instance can be booted')
        const pending = (async () => {
          await control.beforeBoot?.(options)
          const workdir = await mkdtemp(join(tmpdir(), `slipway-wc-${workdirName ?? 'project'}-`))
          return new FakeWebContainer(workdir, (done) => {
            teardown = done
            void done.finally(() => {
              if (instance === booted) instance = null
            })
          })
        })()
        lock = pending.catch(() => {})
        let booted: FakeWebContainer | null = null
        try {
          booted = await pending
          instance = booted
          return booted
        } finally {
          lock = null
        }
      },
    }
  }

  private constructor(workdir: string, onTeardown: (done: Promise<void>) => void) {
    this.#workdir = workdir
    this.#onTeardown = onTeardown
    this.fs = new FakeFileSystem(workdir)
  }

  get workdir(): string {
    return this.#workdir
  }

  async mount(snapshotOrTree: FileSystemTree | Uint8Array | ArrayBuffer, options?: { mountPoint?: string }) {
    this.#assertAlive()
    if (snapshotOrTree instanceof Uint8Array || snapshotOrTree instanceof ArrayBuffer) {
      throw new Error('FakeWebContainer.mount: binary snapshots are not supported')
    }
    const root = join(this.#workdir, options?.mountPoint ?? '.')
    await mkdir(root, { recursive: true })
    await writeTree(root, snapshotOrTree)
  }

  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>
  spawn(command: string, options?: SpawnOptions): Promise<WebContainerProcess>
  async spawn(
    command: string,
    argsOrOptions?: string[] | SpawnOptions,
    maybeOptions?: SpawnOptions,
  ): Promise<WebContainerProcess> {
    this.#assertAlive()
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : []
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions) ?? {}
    this.#ports ??= new PortWatcher(() => this.#spawned, {
      port: (port, type, url) => this.#emit('port', port, type, url),
      serverReady: (port, url) => this.#emit('server-ready', port, url),
    })
    const { pid, process } = await spawnProcess(command, args, {
      ...options,
      workdir: this.#workdir,
      onExit: (exited) => this.#live.delete(exited),
    })
    this.#live.add(pid)
    this.#spawned.add(pid)
    return process
  }

  async setPreviewScript(scriptSrc: string, options?: PreviewScriptOptions): Promise<void> {
    this.#assertAlive()
    this.previewScripts.push({ scriptSrc, options })
  }

  on(event: 'port', listener: PortListener): Unsubscribe
  on(event: 'server-ready', listener: ServerReadyListener): Unsubscribe
  on(event: 'preview-message', listener: PreviewMessageListener): Unsubscribe
  on(event: 'error', listener: ErrorListener): Unsubscribe
  on(event: 'xdg-open', listener: OpenListener): Unsubscribe
  on(event: 'code', listener: CodeListener): Unsubscribe
  on(event: keyof Listeners, listener: (...args: never[]) => void): Unsubscribe {
    const listeners = this.#listeners[event] as Set<typeof listener>
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }

  teardown(): void {
    if (this.#tornDown) throw new Error('WebContainer already torn down')
    this.#tornDown = true
    this.#ports?.stop()
    this.fs.closeWatchers()
    for (const listeners of Object.values(this.#listeners)) listeners.clear()
    const live = [...this.#live]
    const sessions = [...this.#spawned].filter((pid) => !this.#live.has(pid))
    this.#onTeardown(
      (async () => {
        await killTree(live, sessions)
        await rm(this.#workdir, { recursive: true, force: true })
      })(),
    )
  }

  /// Test control: what a preview iframe would send with `forwardPreviewErrors`.
  emitPreviewMessage(message: PreviewMessage): void {
    this.#emit('preview-message', message)
  }

  /// Test control: a port event with a URL of the test's choosing (a preview origin).
  emitPort(port: number, type: 'open' | 'close', url: string): void {
    this.#emit('port', port, type, url)
  }

  /// Test control: an internal WebContainer error.
  emitError(error: { message: string }): void {
    this.#emit('error', error)
  }

  #emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of this.#listeners[event] as unknown as Set<(...a: typeof args) => void>) listener(...args)
  }

  #assertAlive(): void {
    if (this.#tornDown) throw new Error('WebContainer already torn down')
  }
}

async function writeTree(folder: string, tree: FileSystemTree): Promise<void> {
  for (const [name, node] of Object.entries(tree)) {
    const target = join(folder, name)
    if ('directory' in node) {
      await mkdir(target, { recursive: true })
      await writeTree(target, node.directory)
    } else if ('symlink' in node.file) {
      await symlink(node.file.symlink, target)
    } else {
      await writeFile(target, node.file.contents)
    }
  }
}
