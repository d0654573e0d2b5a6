/// The run stepper as a pure state machine: booting → installing → starting → ready, or failed at a step with the
/// error and a retry. Events come from the RunController; the UI only reads.

export type RunStep = 'booting' | 'installing' | 'starting'

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; step: RunStep; detail: string; packages?: number }
  | { status: 'ready'; port: number; url: string }
  /// A script that ran to completion without serving anything (e.g. a Node script).
  | { status: 'exited'; code: number }
  | { status: 'failed'; step: RunStep; error: string; hint: string }

export type RunEvent =
  | { type: 'start' }
  | { type: 'booted' }
  | { type: 'boot-failed'; error: string }
  | { type: 'install-skipped' }
  | { type: 'install-progress'; line: string }
  | { type: 'installed' }
  | { type: 'install-failed'; code: number; tail: string }
  | { type: 'no-script' }
  | { type: 'starting'; script: string }
  | { type: 'server-ready'; port: number; url: string }
  | { type: 'script-exited'; code: number; tail: string }
  | { type: 'port-timeout'; seconds: number }

const ADDED = /added (\d+) packages?/

export function runReducer(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'start':
      return { status: 'running', step: 'booting', detail: 'Starting the runtime…' }
    case 'booted':
      return state.status === 'running' ? { status: 'running', step: 'installing', detail: 'Installing dependencies…' } : state
    case 'boot-failed':
      return { status: 'failed', step: 'booting', error: event.error, hint: 'Check the runtime settings, or switch to the local runtime.' }
    case 'install-skipped':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: 'Starting…' } : state
    case 'install-progress': {
      if (state.status !== 'running' || state.step !== 'installing') return state
      const added = ADDED.exec(event.line)
      const line = event.line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim()
      return { ...state, detail: line ? line.slice(0, 120) : state.detail, ...(added ? { packages: Number(added[1]) } : {}) }
    }
    case 'installed':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: 'Starting…' } : state
    case 'install-failed':
      return { status: 'failed', step: 'installing', error: `npm install exited with code ${event.code}\n${event.tail}`, hint: 'Fix package.json or the network, then retry.' }
    case 'no-script':
      return { status: 'failed', step: 'starting', error: 'package.json has no "dev" or "start" script.', hint: 'Add one (e.g. "dev": "node server.js") and retry.' }
    case 'starting':
      return state.status === 'running' ? { status: 'running', step: 'starting', detail: `npm run ${event.script}` } : state
    case 'server-ready':
      return state.status === 'running' || state.status === 'ready' ? { status: 'ready', port: event.port, url: event.url } : state
    case 'script-exited':
      if (state.status === 'ready' || (state.status === 'running' && event.code === 0)) {
        return event.code === 0 ? { status: 'exited', code: 0 } : { status: 'failed', step: 'starting', error: `The server stopped with code ${event.code}\n${event.tail}`, hint: 'See the terminal for details, fix it and retry.' }
      }
      if (state.status !== 'running') return state
      return { status: 'failed', step: 'starting', error: `The script exited with code ${event.code}\n${event.tail}`, hint: 'See the terminal for details, fix it and retry.' }
    case 'port-timeout':
      // Still running but serving nothing (a watcher, a script waiting for input): say so, it is not a failure.
      return state.status === 'running' && state.step === 'starting'
        ? { ...state, detail: `Running — no server is listening after ${event.seconds} s` }
        : state
  }
}

/// The last lines of some terminal output, without escape codes, for error messages.
export function tail(text: string, lines = 8): string {
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.trim())
    .slice(-lines)
    .join('\n')
}
