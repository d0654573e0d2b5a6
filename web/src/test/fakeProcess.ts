import { spawn as spawnChild, type ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SpawnOptions, WebContainerProcess } from '@webcontainer/api'
import { killTree } from './procfs.ts'

const PTY_HOST = fileURLToPath(new URL('./pty_host.py', import.meta.url))
/// After the process exits, how long output may keep arriving from its pipes before `output` closes anyway
/// (a background child can hold them open forever).
const DRAIN_MS = 100

/// Starts a real OS process the way WebContainer's `spawn` presents it: `output` is stdout and stderr as one
/// stream of strings, `input` feeds stdin, `exit` resolves with the exit code (128 + signal number for a signal).
/// With `terminal` the process runs on a real pseudo-terminal (python3's `pty` module through pty_host.py), so
/// `tput cols`, line editing and `resize` behave as in a terminal; without it, plain pipes. `kill` SIGKILLs the
/// process, its descendants and its session.
export async function spawnProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { readonly workdir: string; readonly onExit: (pid: number) => void },
): Promise<{ pid: number; process: WebContainerProcess }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) }
  for (const [name, value] of Object.entries(options.env ?? {})) env[name] = String(value)
  const cwd = resolve(options.workdir, options.cwd ?? '.')
  const terminal = options.terminal
  if (terminal) env.TERM ??= 'xterm-256color'
  const child = terminal
    ? spawnChild('python3', [PTY_HOST, String(terminal.cols), String(terminal.rows), command, ...args], {
        cwd,
        env,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      })
    : spawnChild(command, [...args], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
  await new Promise<void>((onSpawn, onError) => {
    child.once('spawn', onSpawn)
    child.once('error', onError)
  })
  child.stdin?.on('error', () => {})
  const pid = child.pid as number
  let exited = false
  const exit = exitCode(child)
  void exit.then(() => {
    exited = true
    options.onExit(pid)
  })
  return {
    pid,
    process: {
      output: outputOf(child, exit, options.output !== false),
      input: inputOf(child),
      exit,
      kill: () => void (exited ? killTree([], [pid]) : killTree([pid])),
      resize: ({ cols, rows }) => {
        const control = child.stdio[3]
        if (terminal && control && 'write' in control && !control.destroyed) control.write(`${cols} ${rows}\n`)
      },
    },
  }
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.once('exit', (code, signal) => {
      done(code ?? 128 + (signal ? constants.signals[signal] : 0))
    })
  })
}

function outputOf(child: ChildProcess, exit: Promise<number>, enabled: boolean): ReadableStream<string> {
  return new ReadableStream<string>({
    start(controller) {
      if (!enabled) {
        // Still drained, or a chatty process would block on a full pipe.
        child.stdout?.resume()
        child.stderr?.resume()
        return
      }
      let open = 0
      let closed = false
      const close = () => {
        if (closed) return
        closed = true
        controller.close()
      }
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue
        const decoder = new TextDecoder()
        open += 1
        stream.on('data', (chunk: Buffer) => {
          const text = decoder.decode(chunk, { stream: true })
          if (text && !closed) controller.enqueue(text)
        })
        stream.on('close', () => {
          open -= 1
          if (open === 0) close()
        })
      }
      void exit.then(() => setTimeout(close, DRAIN_MS))
    },
  })
}

function inputOf(child: ChildProcess): WritableStream<string> {
  return new WritableStream<string>({
    write(chunk) {
      const stdin = child.stdin
      if (!stdin || stdin.destroyed) return
      return new Promise<void>((resolve) => {
        stdin.write(chunk, () => resolve())
      })
    },
    close() {
      child.stdin?.end()
    },
  })
}
