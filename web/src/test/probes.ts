import { createServer } from 'node:net'
import type { Runtime, RuntimeEvents } from '../core/runtime/index.ts'

/// Node-side probes the runtime contract uses to check what a runtime really did.

/// Reads a process's `output` in the background and keeps everything it printed.
export interface OutputRecorder {
  text(): string
  /// Resolves with the whole output once the text after `from` matches `pattern`.
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>
  /// Resolves once the stream ended.
  readonly ended: Promise<void>
}

export function recordOutput(output: ReadableStream<string>): OutputRecorder {
  let text = ''
  const waiters = new Set<() => void>()
  const reader = output.getReader()
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += value
      for (const wake of [...waiters]) wake()
    }
  })().finally(() => {
    for (const wake of [...waiters]) wake()
  })
  let finished = false
  void ended.then(() => (finished = true))
  return {
    text: () => text,
    ended,
    waitFor(pattern, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text.slice(from))) {
            done()
            resolve(text)
          } else if (finished) {
            done()
            reject(new Error(`Output ended without matching ${pattern}: ${JSON.stringify(text)}`))
          }
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`No ${pattern} within ${timeoutMs} ms in output ${JSON.stringify(text)}`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
  }
}

/// A TCP port nothing listens on right now.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/// Whether this process can listen on `port` (on every interface, like a dev server) right now.
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, () => server.close(() => resolve(true)))
  })
}

/// Polls `check` until it returns true.
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/// The arguments of the first `event` for which `accept` is true.
export function nextEvent<E extends keyof RuntimeEvents>(
  runtime: Runtime,
  event: E,
  accept: (...args: Parameters<RuntimeEvents[E]>) => boolean,
  timeoutMs = 15_000,
): Promise<Parameters<RuntimeEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose()
      reject(new Error(`No matching "${event}" event within ${timeoutMs} ms`))
    }, timeoutMs)
    const listener = (...args: Parameters<RuntimeEvents[E]>) => {
      if (!accept(...args)) return
      clearTimeout(timer)
      subscription.dispose()
      resolve(args)
    }
    const subscription = runtime.on(event, listener as unknown as RuntimeEvents[E])
  })
}

/// Whether `promise` has settled by the time already-queued work has run.
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  await new Promise((resolve) => setTimeout(resolve, 0))
  return settled
}

/// A `node -e` script serving `body` over HTTP on `port`, printing `listening` once it does.
export function httpServerScript(port: number, body: string): string {
  return (
    `require('http').createServer((q, s) => s.end(${JSON.stringify(body)}))` +
    `.listen(${port}, () => console.log('listening'))`
  )
}
