import type { Runtime, RuntimeProcess, TerminalSize } from '../runtime/index.ts'
import { Store } from '../store.ts'
import { shellName } from './shellNames.ts'

/// What a terminal view needs from a running process: its output so far (replayed when a view mounts) and live
/// output, and a way to type and resize. xterm stays in the UI; this knows nothing of it.
export class TerminalSession {
  private buffer: string[] = []
  private bufferedChars = 0
  private readonly listeners = new Set<(data: string) => void>()
  private writer: WritableStreamDefaultWriter<string> | undefined
  exitCode: number | undefined
  /// The process was killed on request (Stop, Restart, closing its tab): its exit code (129, 137…) is no failure.
  stopped = false

  constructor(
    readonly id: number,
    readonly title: string,
    readonly process: RuntimeProcess,
    private readonly onExit: (session: TerminalSession) => void,
    /// Characters of scrollback kept for views that mount later.
    private readonly keepChars = 1_000_000,
  ) {
    this.writer = process.input.getWriter()
    void this.pump()
    void process.exit.then((code) => {
      this.exitCode = code
      this.append(`\r\n\x1b[2m${this.stopped && code !== 0 ? '[stopped]' : `[process exited with code ${code}]`}\x1b[0m\r\n`)
      this.onExit(this)
    })
  }

  private async pump() {
    const reader = this.process.output.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        this.append(value)
      }
    } catch {
      // The runtime went away; exit will say so.
    }
  }

  private append(data: string) {
    this.buffer.push(data)
    this.bufferedChars += data.length
    while (this.bufferedChars > this.keepChars && this.buffer.length > 1) this.bufferedChars -= this.buffer.shift()!.length
    for (const l of [...this.listeners]) l(data)
  }

  /// Everything printed so far, then each new chunk.
  attach(listener: (data: string) => void): () => void {
    listener(this.buffer.join(''))
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /// All output so far (for tests and for finding error lines).
  get text(): string {
    return this.buffer.join('')
  }

  write(data: string): void {
    void this.writer?.write(data).catch(() => {})
  }

  resize(size: TerminalSize): void {
    this.process.resize(size)
  }

  /// Stops the process; its tab then says "stopped", not "exit 129".
  kill(): void {
    if (this.exitCode === undefined) this.stopped = true
    this.process.kill()
  }
}

/// The line a session adds to its output when its process ends ("[process exited with code 1]", "[stopped]"),
/// which is not the program's own output.
export function isSessionMarker(line: string): boolean {
  return /^\[(?:process exited with code -?\d+|stopped)\]$/.test(line.trim())
}

export interface TerminalsState {
  sessions: readonly TerminalSession[]
  activeId: number | undefined
}

/// The terminal tabs of a workbench: interactive shells and the processes the run button starts.
export class Terminals {
  readonly store = new Store<TerminalsState>({ sessions: [], activeId: undefined })
  private nextId = 1
  private size: TerminalSize = { cols: 80, rows: 24 }
  private readonly shells = new Set<number>()

  constructor(private readonly runtime: () => Runtime | undefined) {}

  /// Terminal size the views last measured; new processes start with it.
  setSize(size: TerminalSize): void {
    this.size = size
  }

  /// A new interactive shell in a tab named after it: "sh", then "sh 2", "sh 3"… (the lowest number no open tab
  /// holds).
  async openShell(): Promise<TerminalSession> {
    const runtime = this.need()
    const { command, args } = runtime.shell()
    const process = await runtime.spawn(command, args, { terminal: this.size })
    const title = shellName(command, this.store.get().sessions.map((s) => s.title))
    const session = this.add(title, process, true)
    this.shells.add(session.id)
    return session
  }

  /// A process started for the person (npm install, the dev script). Its tab comes to the front unless they are
  /// working in a shell of their own, which stays in front. `replaces`: a tab of an earlier run of the same step,
  /// which is stopped and whose place the new one takes (when it is still open), so runs do not pile up tabs.
  async run(title: string, command: string, args: string[], replaces?: TerminalSession): Promise<TerminalSession> {
    const active = this.store.get().sessions.find((s) => s.id === this.store.get().activeId)
    const busyInShell = active !== undefined && this.shells.has(active.id) && active.exitCode === undefined
    const process = await this.need().spawn(command, args, { terminal: this.size })
    return this.add(title, process, !busyInShell, replaces)
  }

  activate(id: number): void {
    this.store.update((s) => ({ ...s, activeId: id }))
  }

  close(id: number): void {
    const session = this.store.get().sessions.find((s) => s.id === id)
    session?.kill()
    this.store.update((s) => {
      const sessions = s.sessions.filter((x) => x.id !== id)
      return { sessions, activeId: s.activeId === id ? sessions[sessions.length - 1]?.id : s.activeId }
    })
  }

  closeAll(): void {
    for (const s of this.store.get().sessions) s.kill()
    this.store.update(() => ({ sessions: [], activeId: undefined }))
  }

  private need(): Runtime {
    const r = this.runtime()
    if (!r) throw new Error('The runtime is not ready yet')
    return r
  }

  private add(title: string, process: RuntimeProcess, activate: boolean, replaces?: TerminalSession): TerminalSession {
    const session = new TerminalSession(this.nextId++, title, process, () => this.store.update((s) => ({ ...s, sessions: [...s.sessions] })))
    replaces?.kill()
    this.store.update((s) => {
      const at = replaces ? s.sessions.indexOf(replaces) : -1
      const sessions = at < 0 ? [...s.sessions, session] : s.sessions.map((x, i) => (i === at ? session : x))
      const wasActive = at >= 0 && s.activeId === replaces!.id
      return { sessions, activeId: activate || wasActive || s.activeId === undefined ? session.id : s.activeId }
    })
    return session
  }
}
