import { expect, test } from 'vitest'
import { runReducer } from './runState.ts'
import type { RunEvent, RunState } from './runState.ts'

const play = (...events: RunEvent[]) => events.reduce<RunState>(runReducer, { status: 'idle' })
const starting: RunEvent[] = [{ type: 'start' }, { type: 'booted' }, { type: 'install-skipped' }, { type: 'starting', script: 'dev' }]
const ready: RunEvent[] = [...starting, { type: 'server-ready', port: 3000, url: 'http://x' }]

test('the happy path: booting → installing (with progress) → starting → ready', () => {
  expect(play({ type: 'start' })).toMatchObject({ status: 'running', step: 'booting' })
  expect(play({ type: 'start' }, { type: 'booted' })).toMatchObject({ step: 'installing' })
  const installing = play({ type: 'start' }, { type: 'booted' }, { type: 'install-progress', line: '\x1b[1madded 42 packages in 3s' })
  expect(installing).toMatchObject({ step: 'installing', packages: 42, detail: 'added 42 packages in 3s' })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'installed' }, { type: 'starting', script: 'dev' }, { type: 'server-ready', port: 5173, url: 'http://x' })).toEqual({
    status: 'ready',
    port: 5173,
    url: 'http://x',
  })
})

test('failures carry the step, the error, the key line and a next step', () => {
  expect(play({ type: 'start' }, { type: 'boot-failed', error: 'not isolated' })).toMatchObject({ status: 'failed', step: 'booting', error: 'not isolated' })
  const install = play({ type: 'start' }, { type: 'booted' }, { type: 'install-failed', code: 1, line: 'npm error 404 Not Found', excerpt: 'npm error 404 Not Found' })
  expect(install).toMatchObject({ status: 'failed', step: 'installing', error: 'npm install exited with code 1', line: 'npm error 404 Not Found' })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'install-skipped' }, { type: 'no-script' })).toMatchObject({ status: 'failed', step: 'starting' })
  expect(play(...starting, { type: 'port-timeout', seconds: 60 })).toMatchObject({ status: 'running', detail: 'Running — no server is listening after 60 s' })
  expect(play(...starting, { type: 'script-exited', code: 2, line: 'Error: boom', excerpt: 'Error: boom', output: '' })).toMatchObject({
    status: 'failed',
    step: 'starting',
    error: 'The script exited with code 2',
    line: 'Error: boom',
  })
})

test('a script that finishes cleanly without a server is "exited" with its output; a crashing server after ready is a failure', () => {
  expect(play(...starting, { type: 'script-exited', code: 0, excerpt: '', output: 'hi' })).toEqual({ status: 'exited', code: 0, output: 'hi', watching: false })
  expect(play(...ready, { type: 'script-exited', code: 1, excerpt: 'x', output: 'x' })).toMatchObject({ status: 'failed', error: 'The server stopped with code 1' })
  expect(play(...ready, { type: 'port-timeout', seconds: 60 })).toMatchObject({ status: 'ready' })
})

test('a watcher: a crash fails the run while the process waits; finishing is "exited"; a restart starts again', () => {
  const crashed = play(...starting, { type: 'crashed', line: 'Error: boom', excerpt: 'Error: boom' })
  expect(crashed).toMatchObject({ status: 'failed', step: 'starting', waiting: true, line: 'Error: boom' })
  expect(play(...ready, { type: 'crashed', excerpt: '' })).toMatchObject({ status: 'failed', waiting: true })
  const restarted = runReducer(crashed, { type: 'restarting' })
  expect(restarted).toMatchObject({ status: 'running', step: 'starting' })
  expect(runReducer(restarted, { type: 'server-ready', port: 3000, url: 'u' })).toMatchObject({ status: 'ready', port: 3000 })
  const finished = play(...starting, { type: 'completed', output: 'Hello, Slipway!' })
  expect(finished).toEqual({ status: 'exited', code: 0, output: 'Hello, Slipway!', watching: true })
  expect(runReducer(finished, { type: 'restarting' })).toMatchObject({ status: 'running' })
  expect(runReducer(finished, { type: 'crashed', excerpt: '' })).toMatchObject({ status: 'failed', waiting: true })
  // a watcher killed after a crash: the failure stays, with the exit code
  expect(runReducer(crashed, { type: 'script-exited', code: 1, excerpt: '', output: '' })).toMatchObject({ status: 'failed', error: 'The script exited with code 1' })
})

test('the run’s server going away: back to starting, not "ready"', () => {
  expect(play(...ready, { type: 'server-closed', port: 3000 })).toMatchObject({ status: 'running', step: 'starting', detail: 'The server on :3000 stopped listening' })
  expect(play(...ready, { type: 'server-closed', port: 4000 })).toMatchObject({ status: 'ready', port: 3000 })
})
