/// The run stepper as a pure state machine: booting → installing → starting → ready, or failed at a step with the
/// error and a retry. Events come from the RunController; the UI only reads.

import { cleanLine } from './terminalLines.ts'

export type RunStep = 'booting' | 'installing' | 'starting'

/// What a failure shows: a summary, the one line that says what went wrong, and the lines around it.
export interface RunFailure {
  /// What failed, in a sentence ("The script exited with code 1").
  readonly error: string
  /// The program's own key error line ("Error: Cannot find module …"), when its output has one.
  readonly line?: string
  /// The meaningful lines of its output (see `errorExcerpt`), newline-separated.
  readonly excerpt?: string
  /// What to do next.
  readonly hint: string
}

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; step: RunStep; detail: string; packages?: number }
  | { status: 'ready'; port: number; url: string }
  /// The script ran to its end without serving anything (e.g. a Node script). `output`: what it printed.
  /// `watching`: a watcher (`node --watch`) runs it again on the next change.
  | { status: 'exited'; code: number; output: string; watching: boolean }
  /// `waiting`: the process is still alive, waiting for a change to run the program again (a watcher after a crash).
  | ({ status: 'failed'; step: RunStep; waiting?: boolean } & RunFailure)

export type RunEvent =
  | { type: 'start' }
  | { type: 'booted' }
  | { type: 'boot-failed'; error: string }
  | { type: 'install-skipped' }
  | { type: 'install-progress'; line: string }
  | { type: 'installed' }
  | { type: 'install-failed'; code: number; line?: string; excerpt: string }
  | { type: 'no-script' }
  | { type: 'starting'; script: string }
  | { type: 'server-ready'; port: number; url: string }
  /// The run's own server stopped listening (its process may restart it).
  | { type: 'server-closed'; port: number }
  | { type: 'script-exited'; code: number; line?: string; excerpt: string; output: string }
  /// The watcher running the script says the program crashed and waits for a change.
  | { type: 'crashed'; line?: string; excerpt: string }
  /// The watcher says the program ran to its end and waits for a change.
  | { type: 'completed'; output: string }
  /// The watcher starts the program again.
  | { type: 'restarting' }
  | { type: 'port-timeout'; seconds: number }

const ADDED = /added (\d+) packages?/
const FIX_AND_RETRY = 'Fix it and press Retry; the terminal has the whole output.'

export function runReducer(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'start':
      return { status: 'running', step: 'booting', detail: 'Starting the runtime…' }
    case 'booted':
      return state.status === 'running' ? { status: 'running', step: 'installing', detail: 'Installing dependencies…' } : state
    case 'boot-failed':
      // The runtime's own message says what to do (BootFailure): no hint repeating it.
      return { status: 'failed', step: 'booting', error: event.error, hint: '' }
    case 'install-skipped':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: 'Starting…' } : state
    case 'install-progress': {
      if (state.status !== 'running' || state.step !== 'installing') return state
      const added = ADDED.exec(event.line)
      const line = cleanLine(event.line).trim()
      return { ...state, detail: line ? line.slice(0, 120) : state.detail, ...(added ? { packages: Number(added[1]) } : {}) }
    }
    case 'installed':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: 'Starting…' } : state
    case 'install-failed':
      return failed('installing', `npm install exited with code ${event.code}`, event, 'Fix package.json or the network, then retry.')
    case 'no-script':
      return { status: 'failed', step: 'starting', error: 'package.json has no "dev" or "start" script.', hint: 'Add one (e.g. "dev": "node server.js") and retry.' }
    case 'starting':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: `npm run ${event.script}` } : state
    case 'server-ready':
      return state.status === 'running' || state.status === 'ready' ? { status: 'ready', port: event.port, url: event.url } : state
    case 'server-closed':
      return state.status === 'ready' && state.port === event.port
        ? { status: 'running', step: 'starting', detail: `The server on :${event.port} stopped listening` }
        : state
    case 'script-exited': {
      const alive = state.status === 'running' || state.status === 'ready' || (state.status === 'exited' && state.watching) || (state.status === 'failed' && state.waiting)
      if (!alive) return state
      if (event.code === 0) return { status: 'exited', code: 0, output: event.output, watching: false }
      const error = state.status === 'ready' ? `The server stopped with code ${event.code}` : `The script exited with code ${event.code}`
      return failed('starting', error, event, FIX_AND_RETRY)
    }
    case 'crashed':
      if (state.status !== 'running' && state.status !== 'ready' && !(state.status === 'exited' && state.watching)) return state
      return { ...failed('starting', 'The program crashed', event, 'Fix it and save: it runs again on the next change. Or press Retry.'), waiting: true }
    case 'completed':
      return state.status === 'running' || state.status === 'ready' || (state.status === 'failed' && state.waiting) || (state.status === 'exited' && state.watching)
        ? { status: 'exited', code: 0, output: event.output, watching: true }
        : state
    case 'restarting':
      return state.status === 'ready' || (state.status === 'failed' && state.waiting) || (state.status === 'exited' && state.watching)
        ? { status: 'running', step: 'starting', detail: 'Restarting after a change…' }
        : state
    case 'port-timeout':
      // Still running but serving nothing (a watcher, a script waiting for input): say so, it is not a failure.
      return state.status === 'running' && state.step === 'starting'
        ? { ...state, detail: `Running — no server is listening after ${event.seconds} s` }
        : state
  }
}

function failed(step: RunStep, error: string, from: { line?: string; excerpt: string }, hint: string): Extract<RunState, { status: 'failed' }> {
  return {
    status: 'failed',
    step,
    error,
    ...(from.line ? { line: from.line } : {}),
    ...(from.excerpt ? { excerpt: from.excerpt } : {}),
    hint,
  }
}
