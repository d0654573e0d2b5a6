/// Commands the assistant runs: in a terminal tab of the project (so the person sees them), their output captured as
/// clean text within a byte cap (the head and the tail are kept, the middle cut), stopped at a timeout or when the
/// turn is stopped.
import { AI_LIMITS } from '@slipway/shared'
import { TerminalLines } from '../run/terminalLines.ts'
import type { Runtime } from '../runtime/index.ts'
import { isSessionMarker } from '../terminal/Terminals.ts'
import type { Terminals } from '../terminal/Terminals.ts'
import { utf8Length } from './dataBlock.ts'

export type CommandOutcome =
  /// It ran: its exit code and what it printed (`cutBytes` of it left out of the middle). `timedOut`: it was stopped
  /// at its timeout; `stopped`: the turn was stopped.
  | { kind: 'done'; exitCode: number; output: string; cutBytes: number; timedOut: boolean; stopped: boolean }
  /// The person did not allow it.
  | { kind: 'denied'; message: string }
  /// It could not be started (no runtime).
  | { kind: 'failed'; message: string }

/// Runs one command for the assistant. `signal` aborts it (the turn was stopped): the process is killed.
export interface CommandPort {
  run(command: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<CommandOutcome>
}

export interface TerminalCommandsDeps {
  terminals: Pick<Terminals, 'run'>
  /// The project's runtime once it is up.
  runtime: () => Promise<Runtime>
  /// Writes edits still waiting into the runtime first, so the command sees the files as the project has them.
  flush?: () => Promise<void>
  maxOutputBytes?: number
  /// How long after its exit a process's last output may still arrive (it is read separately from the exit code).
  exitSettleMs?: number
}

/// Longest line kept of a command's output (a minified bundle printed whole says nothing more past this).
const MAX_LINE_CHARS = 4_000

/// `CommandPort` over the project's terminals: each command gets a tab of its own, named after it.
export class TerminalCommands implements CommandPort {
  constructor(private readonly deps: TerminalCommandsDeps) {}

  async run(command: string, { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal }): Promise<CommandOutcome> {
    let runtime: Runtime
    try {
      runtime = await untilAborted(this.deps.runtime(), signal)
      await this.deps.flush?.().catch(() => {})
    } catch (err) {
      if (signal.aborted) return { kind: 'done', exitCode: 130, output: '', cutBytes: 0, timedOut: false, stopped: true }
      return { kind: 'failed', message: `The project's runtime is not running: ${err instanceof Error ? err.message : String(err)}` }
    }
    // WebContainer's shell is jsh; the local runtime has a POSIX sh. Both take `-c`.
    const shell = runtime.kind === 'webcontainer' ? 'jsh' : 'sh'
    let session
    try {
      session = await this.deps.terminals.run(`AI: ${command.length > 40 ? `${command.slice(0, 39)}…` : command}`, shell, ['-c', command])
    } catch (err) {
      return { kind: 'failed', message: `Could not start the command: ${err instanceof Error ? err.message : String(err)}` }
    }
    const capture = new OutputCapture(this.deps.maxOutputBytes ?? AI_LIMITS.maxCommandOutputBytes)
    const detach = session.attach((chunk) => capture.push(chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      session.kill()
    }, timeoutMs)
    const onAbort = () => session.kill()
    signal.addEventListener('abort', onAbort)
    if (signal.aborted) session.kill()
    const exitCode = await session.process.exit
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
    await new Promise((r) => setTimeout(r, this.deps.exitSettleMs ?? 50))
    detach()
    const { output, cutBytes } = capture.result()
    return { kind: 'done', exitCode, output, cutBytes, timedOut, stopped: signal.aborted }
  }
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('stopped'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped'))
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/// A command's output as the lines a person reads, within `maxBytes`: the first half of the budget keeps the first
/// lines, the second half the latest ones (where test summaries and errors are); what falls between is counted.
export class OutputCapture {
  private readonly lines = new TerminalLines()
  private readonly head: string[] = []
  private headBytes = 0
  private readonly tail: string[] = []
  private tailBytes = 0
  private cut = 0

  constructor(private readonly maxBytes: number) {}

  push(chunk: string): void {
    for (const line of this.lines.push(chunk)) this.add(line)
  }

  private add(raw: string): void {
    if (isSessionMarker(raw)) return
    const line = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}…` : raw
    const bytes = utf8Length(line) + 1
    const half = this.maxBytes / 2
    if (!this.tail.length && this.headBytes + bytes <= half) {
      this.head.push(line)
      this.headBytes += bytes
      return
    }
    this.tail.push(line)
    this.tailBytes += bytes
    while (this.tailBytes > half && this.tail.length) {
      const dropped = utf8Length(this.tail.shift()!) + 1
      this.tailBytes -= dropped
      this.cut += dropped
    }
  }

  result(): { output: string; cutBytes: number } {
    const partial = this.lines.partial
    if (partial) {
      this.add(partial)
      this.lines.push('\n')
    }
    const middle = this.cut ? [`[… ${this.cut} bytes of output cut here …]`] : []
    // Blank lines around the output (the terminal's line end before its exit marker) say nothing.
    return { output: [...this.head, ...middle, ...this.tail].join('\n').replace(/^\n+|\n+$/g, ''), cutBytes: this.cut }
  }
}
