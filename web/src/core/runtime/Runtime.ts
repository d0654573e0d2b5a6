import type { PreviewConsoleLevel } from '@slipway/shared'

/// The runtime port: everything the IDE needs from the place code runs (WebContainer in the tab, or the local
/// runtime agent on the user's machine). Shaped after `@webcontainer/api` so its adapter stays thin. Core code
/// talks only to this; no adapter type leaks through it.

/// A file tree to mount, as WebContainer's `FileSystemTree`: a name maps to a file with its contents or a folder.
export interface FileSystemTree {
  [name: string]: FileNode | DirectoryNode
}
export interface FileNode {
  file: { contents: string | Uint8Array }
}
export interface DirectoryNode {
  directory: FileSystemTree
}

export interface DirEntry {
  name: string
  kind: 'file' | 'directory'
}

/// A change seen by a recursive watch, as WebContainer reports it: `rename` when an entry appeared or vanished,
/// `change` when a file's contents changed. `path` is relative to the project root, `/`-separated.
export interface WatchEvent {
  type: 'change' | 'rename'
  path: string
}

export interface Disposable {
  dispose(): void
}

/// Paths are relative to the project root (no leading `/`, no `..`).
export interface RuntimeFs {
  readFile(path: string): Promise<Uint8Array>
  readFile(path: string, encoding: 'utf-8'): Promise<string>
  writeFile(path: string, data: string | Uint8Array): Promise<void>
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>
  rename(from: string, to: string): Promise<void>
  readdir(path: string): Promise<DirEntry[]>
  /// Recursive watch of `path` (use `'.'` for the whole project); reports changes made by any process.
  watch(path: string, listener: (event: WatchEvent) => void): Disposable
}

export interface TerminalSize {
  cols: number
  rows: number
}

export interface SpawnOptions {
  cwd?: string
  env?: Record<string, string>
  /// Run under a pseudo-terminal of this size (interactive shells, coloured output, `tput cols`).
  terminal?: TerminalSize
}

/// A running process. `output` carries stdout and stderr interleaved as the terminal shows them.
export interface RuntimeProcess {
  readonly output: ReadableStream<string>
  readonly input: WritableStream<string>
  /// Resolves with the exit code once the process ended (a signal counts as non-zero).
  readonly exit: Promise<number>
  /// Stops the process and everything it started.
  kill(): void
  resize(size: TerminalSize): void
}

/// A message a preview page sent to the IDE: a console call (`kind: 'console'`, any level) or an error nobody
/// caught (level `error`).
export interface PreviewMessage {
  level: PreviewConsoleLevel
  kind: 'console' | 'uncaught-exception' | 'unhandled-rejection'
  message: string
  stack?: string
  /// The preview's port.
  port?: number
}

export interface RuntimeEvents {
  /// A server started listening and answers HTTP: `url` opens its preview.
  'server-ready': (port: number, url: string) => void
  port: (port: number, type: 'open' | 'close', url: string) => void
  error: (error: { message: string }) => void
  'preview-message': (message: PreviewMessage) => void
}

export type RuntimeKind = 'webcontainer' | 'local'

export interface Runtime {
  readonly kind: RuntimeKind
  readonly fs: RuntimeFs
  /// Writes a tree into the project root, creating folders as needed.
  mount(tree: FileSystemTree): Promise<void>
  spawn(command: string, args?: string[], options?: SpawnOptions): Promise<RuntimeProcess>
  /// The login shell for terminals (`jsh` in WebContainer, the user's shell locally).
  shell(): { command: string; args: string[] }
  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): Disposable
  /// Kills every process it started, frees every port and releases the runtime; the instance is dead afterwards.
  teardown(): Promise<void>
}

/// Why a runtime could not start, with what the person can do about it.
export type BootFailure =
  | { reason: 'not-isolated'; message: string }
  | { reason: 'unsupported-browser'; message: string }
  | { reason: 'network'; message: string }
  | { reason: 'unauthorized'; message: string }
  | { reason: 'unknown'; message: string }

export type BootResult = { ok: true; runtime: Runtime } | { ok: false; failure: BootFailure }
