import { expect, test } from 'vitest'
import { runReducer, tail } from './runState.ts'
import type { RunEvent, RunState } from './runState.ts'

const play = (...events: RunEvent[]) => events.reduce<RunState>(runReducer, { status: 'idle' })

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

test('failures carry the step, the error and a next step', () => {
  expect(play({ type: 'start' }, { type: 'boot-failed', error: 'not isolated' })).toMatchObject({ status: 'failed', step: 'booting', error: 'not isolated' })
  const install = play({ type: 'start' }, { type: 'booted' }, { type: 'install-failed', code: 1, tail: 'ERR! 404' })
  expect(install).toMatchObject({ status: 'failed', step: 'installing' })
  expect((install as { error: string }).error).toContain('ERR! 404')
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'install-skipped' }, { type: 'no-script' })).toMatchObject({ status: 'failed', step: 'starting' })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'installed' }, { type: 'starting', script: 'dev' }, { type: 'port-timeout', seconds: 60 })).toMatchObject({
    status: 'running',
    detail: 'Running — no server is listening after 60 s',
  })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'installed' }, { type: 'script-exited', code: 2, tail: 'boom' })).toMatchObject({ status: 'failed', step: 'starting' })
})

test('a script that finishes cleanly without a server is "exited", a crashing server after ready is a failure', () => {
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'install-skipped' }, { type: 'starting', script: 'start' }, { type: 'script-exited', code: 0, tail: '' })).toEqual({ status: 'exited', code: 0 })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'installed' }, { type: 'server-ready', port: 1, url: 'u' }, { type: 'script-exited', code: 1, tail: 'x' })).toMatchObject({ status: 'failed' })
  expect(play({ type: 'start' }, { type: 'booted' }, { type: 'installed' }, { type: 'server-ready', port: 1, url: 'u' }, { type: 'port-timeout', seconds: 60 })).toMatchObject({ status: 'ready' })
})

test('tail strips escape codes and blank lines', () => {
  expect(tail('a\n\x1b[31mb\x1b[0m\r\n\n c', 2)).toBe('b\n c')
})
