import { spawn as spawnChild } from 'node:child_process'
import { constants } from 'node:os'
import { StringDecoder } from 'node:string_decoder'
import type { IPty } from '@lydell/node-pty'
import { RuntimeFailure } from './errors.ts'
import { killSession } from './sessions.ts'

/// What `spawnProcess` needs; `cwd` is absolute and already confined.
export interface SpawnSpec {
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
  terminal?: { cols: number; rows: number }
  /// Output as it arrives, decoded as UTF-8 across chunk boundaries.
  onOutput(data: string): void
  /// Called once, after the last output: the exit code, or 128 + the signal number.
  onExit(code: number): void
}

/// A process the agent started, leader of its own session and process group, so `kill` reaches everything it started
/// (pipelines, dev servers, a shell's jobs).
export interface ManagedProcess {
  readonly pid: number
  readonly terminal: boolean
  /// Whether the leader has exited (members of its session may live on).
  readonly exited: boolean
  write(data: string): void
  /// Resizes the pseudo-terminal; a no-op for pipes.
  resize(cols: number, rows: number): void
  /// Stops reading output (the process blocks once its pipe or terminal buffer is full) until `resume`. Both are
  /// safe after exit; a paused pipe process reports its exit only after `resume` let its last output through.
  pause(): void
  resume(): void
  /// Signals the whole session (SIGTERM, and SIGHUP under a terminal, since an interactive shell ignores SIGTERM),
  /// then SIGKILL after `graceMs`; resolves once no member is left.
  kill(graceMs?: number): Promise<void>
}

const GRACE_MS = 2000
// How long the exit event waits for the pipes to close, when a grandchild keeps them open after the leader exited.
const FLUSH_MS = 200

/// Starts a process: under a pseudo-terminal (node-pty) when `terminal` is given, else with stdio pipes (stdout and
/// stderr both count as output). Fails with `spawn_failed` when a pipe process cannot start; under a terminal a
/// missing command behaves as in a shell (a message and exit code 127).
export async function spawnProcess(spec: SpawnSpec): Promise<ManagedProcess> {
  return spec.terminal ? spawnTerminal(spec, spec.terminal) : spawnPiped(spec)
}

async function spawnPiped(spec: SpawnSpec): Promise<ManagedProcess> {
  const child = spawnChild(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: 'pipe' })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new RuntimeFailure('spawn_failed', `cannot start ${JSON.stringify(spec.command)}: ${error.code ?? error.message}`, error.code)),
    )
  })
  const pid = child.pid
  if (pid === undefined) throw new RuntimeFailure('spawn_failed', `cannot start ${JSON.stringify(spec.command)}`)
  // After a successful spawn, errors (a failed signal, a closed stdin) must not crash the agent; `exit` follows.
  child.on('error', () => {})
  child.stdin.on('error', () => {})

  let exited = false
  let done = false
  const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')] as const
  const forward = (decoder: StringDecoder) => (chunk: Buffer) => {
    if (done) return
    const text = decoder.write(chunk)
    if (text) spec.onOutput(text)
  }
  child.stdout.on('data', forward(decoders[0]))
  child.stderr.on('data', forward(decoders[1]))

  let exitCode = 0
  const finish = () => {
    if (done) return
    done = true
    for (const decoder of decoders) {
      const rest = decoder.end()
      if (rest) spec.onOutput(rest)
    }
    spec.onExit(exitCode)
  }
  const finishSoon = () => {
    // Paused output is still to be read: wait for the client to drain it rather than drop it.
    if (child.stdout.isPaused() || child.stderr.isPaused()) setTimeout(finishSoon, FLUSH_MS).unref()
    else finish()
  }
  child.once('exit', (code, signal) => {
    exited = true
    exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0)
    setTimeout(finishSoon, FLUSH_MS).unref()
  })
  child.once('close', () => {
    if (exited) finish()
  })

  return {
    pid,
    terminal: false,
    get exited() {
      return exited
    },
    write(data) {
      if (child.stdin.writable) child.stdin.write(data)
    },
    resize() {},
    pause() {
      child.stdout.pause()
      child.stderr.pause()
    },
    resume() {
      child.stdout.resume()
      child.stderr.resume()
    },
    kill: (graceMs = GRACE_MS) => killSession(pid, ['SIGTERM'], graceMs),
  }
}

async function spawnTerminal(spec: SpawnSpec, size: { cols: number; rows: number }): Promise<ManagedProcess> {
  const pty = await loadPty()
  let term: IPty
  try {
    // Through `sh -c 'exec …'` so a missing command gets the shell's message and exit code 127 rather than
    // node-pty's "execvp(3) failed"; `exec` replaces the shell, so the command itself leads the session.
    term = pty.spawn('/bin/sh', ['-c', 'exec "$0" "$@"', spec.command, ...spec.args], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: spec.cwd,
      env: spec.env,
    })
  } catch (error) {
    throw new RuntimeFailure('spawn_failed', `cannot start ${JSON.stringify(spec.command)}: ${error instanceof Error ? error.message : String(error)}`)
  }
  let exited = false
  term.onData((data) => {
    if (!exited) spec.onOutput(data)
  })
  term.onExit(({ exitCode, signal }) => {
    exited = true
    spec.onExit(signal ? 128 + signal : exitCode)
  })
  return {
    pid: term.pid,
    terminal: true,
    get exited() {
      return exited
    },
    write(data) {
      if (!exited) term.write(data)
    },
    resize(cols, rows) {
      if (!exited) term.resize(cols, rows)
    },
    pause() {
      if (!exited) term.pause()
    },
    resume() {
      if (!exited) term.resume()
    },
    kill: (graceMs = GRACE_MS) => killSession(term.pid, ['SIGHUP', 'SIGTERM'], graceMs),
  }
}

type PtyModule = typeof import('@lydell/node-pty')
let ptyModule: Promise<PtyModule> | undefined

// @lydell/node-pty is upstream node-pty with its binaries prebuilt per platform (optional dependencies): upstream
// 1.1 ships none for Linux, so it would need node-gyp and a C++ toolchain on every `pnpm install`, the production
// image's build stage included. Loaded on first use, so an agent whose binary is missing still serves files and pipe
// processes.
function loadPty(): Promise<PtyModule> {
  ptyModule ??= import('@lydell/node-pty').then(
    (m) => ((m as { default?: PtyModule }).default ?? m) as PtyModule,
  )
  return ptyModule.catch((error: unknown) => {
    ptyModule = undefined
    throw new RuntimeFailure('spawn_failed', `terminals are unavailable: @lydell/node-pty did not load (${error instanceof Error ? error.message : String(error)})`)
  })
}
