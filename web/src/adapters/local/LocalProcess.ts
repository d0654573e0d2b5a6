import type { RuntimeProcess, TerminalSize } from '../../core/runtime/index.ts'

/// What a process asks of its runtime; each call is one request to the agent.
export interface ProcessControl {
  input(data: string): Promise<void>
  kill(): void
  resize(size: TerminalSize): void
}

/// A process the agent runs, fed by the runtime with the agent's `output` and `exit` events.
export class LocalProcess implements RuntimeProcess {
  readonly pid: number
  readonly output: ReadableStream<string>
  readonly input: WritableStream<string>
  readonly exit: Promise<number>
  readonly #control: ProcessControl
  #controller: ReadableStreamDefaultController<string> | null = null
  #resolveExit: (code: number) => void = () => {}
  #ended = false

  constructor(pid: number, control: ProcessControl) {
    this.pid = pid
    this.#control = control
    this.output = new ReadableStream<string>({
      start: (controller) => {
        this.#controller = controller
      },
    })
    this.input = new WritableStream<string>({ write: (chunk) => control.input(chunk) })
    this.exit = new Promise((resolve) => (this.#resolveExit = resolve))
  }

  get ended(): boolean {
    return this.#ended
  }

  kill(): void {
    if (!this.#ended) this.#control.kill()
  }

  resize(size: TerminalSize): void {
    if (!this.#ended) this.#control.resize(size)
  }

  /// Output the agent reported.
  push(data: string): void {
    if (!this.#ended) this.#controller?.enqueue(data)
  }

  /// The process ended (or the runtime can no longer know): closes `output` and resolves `exit`. Only the first
  /// call counts.
  end(code: number): void {
    if (this.#ended) return
    this.#ended = true
    this.#controller?.close()
    this.#resolveExit(code)
  }
}
