import { describe, expect, test } from 'vitest'
import type { RunState } from '../../core/run/runState.ts'
import { failureHint, formatElapsed, stepperView } from './stepperView.ts'

const states = (run: RunState, ...rest: Parameters<typeof stepperView> extends [RunState, ...infer R] ? R : never) =>
  stepperView(run, ...rest).steps.map((s) => s.state)

describe('stepperView', () => {
  test('idle: everything pending; the background boot shows on the first step', () => {
    expect(stepperView({ status: 'idle' })).toMatchObject({ status: 'idle', step: undefined })
    expect(states({ status: 'idle' })).toEqual(['pending', 'pending', 'pending', 'pending'])
    expect(states({ status: 'idle' }, { phase: 'booting', kind: 'webcontainer' })).toEqual(['active', 'pending', 'pending', 'pending'])
    expect(states({ status: 'idle' }, { phase: 'ready', kind: 'local' })).toEqual(['done', 'pending', 'pending', 'pending'])
  })

  test('idle with a runtime that could not boot is a failure without retry', () => {
    const v = stepperView({ status: 'idle' }, { phase: 'failed', kind: 'webcontainer', failure: { reason: 'not-isolated', message: 'not isolated' } })
    expect(v).toMatchObject({ status: 'failed', step: 'booting', failure: { error: 'not isolated', hint: '', retry: false, terminal: false } })
    expect(v.steps[0]!.state).toBe('failed')
  })

  test.each([
    ['booting', ['active', 'pending', 'pending', 'pending']],
    ['installing', ['done', 'active', 'pending', 'pending']],
    ['starting', ['done', 'done', 'active', 'pending']],
  ] as const)('running at %s', (step, expected) => {
    const v = stepperView({ status: 'running', step, detail: 'doing it' })
    expect(v).toMatchObject({ status: 'running', step })
    expect(v.steps.map((s) => s.state)).toEqual(expected)
    expect(v.steps.find((s) => s.id === step)!.detail).toBe('doing it')
  })

  test('installing shows the package count once npm said it', () => {
    const v = stepperView({ status: 'running', step: 'installing', detail: 'added 42 packages in 3s', packages: 42 })
    expect(v.steps[1]!.detail).toBe('42 packages')
  })

  test("npm's spinner frames and placeholders are not shown as details", () => {
    expect(stepperView({ status: 'running', step: 'installing', detail: '⠹' }).steps[1]!.detail).toBeUndefined()
    expect(stepperView({ status: 'running', step: 'installing', detail: 'Installing dependencies…' }).steps[1]!.detail).toBeUndefined()
    expect(stepperView({ status: 'running', step: 'installing', detail: 'npm http fetch GET 200 left-pad' }).steps[1]!.detail).toBe('npm http fetch GET 200 left-pad')
  })

  test('ready: all done, with the port', () => {
    const v = stepperView({ status: 'ready', port: 5173, url: 'http://x' })
    expect(v).toMatchObject({ status: 'ready', step: 'ready' })
    expect(v.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done'])
    expect(v.steps[3]!.detail).toBe(':5173')
  })

  test('exited: the last step says "Finished" with its exit code, and the view carries the output', () => {
    const v = stepperView({ status: 'exited', code: 0, output: 'Hello', watching: true })
    expect(v.steps[3]).toEqual({ id: 'ready', label: 'Finished', state: 'done', detail: 'exit 0' })
    expect(v.finished).toEqual({ code: 0, output: 'Hello', watching: true })
  })

  test.each([
    ['booting', ['failed', 'pending', 'pending', 'pending']],
    ['installing', ['done', 'failed', 'pending', 'pending']],
    ['starting', ['done', 'done', 'failed', 'pending']],
  ] as const)('failed at %s', (step, expected) => {
    const v = stepperView({ status: 'failed', step, error: 'boom', hint: 'fix' })
    expect(v.steps.map((s) => s.state)).toEqual(expected)
    const helps = step !== 'booting'
    expect(v.failure).toEqual({ error: 'boom', hint: 'fix', retry: helps, terminal: helps })
  })

  test('a failure shows its key error line on the failed step', () => {
    const v = stepperView({ status: 'failed', step: 'starting', error: 'The program crashed', line: 'Error: boom', excerpt: 'Error: boom\n    at a.js:1:1', hint: 'fix', waiting: true })
    expect(v.steps[2]).toMatchObject({ state: 'failed', detail: 'Error: boom' })
    expect(v.failure).toMatchObject({ line: 'Error: boom', excerpt: 'Error: boom\n    at a.js:1:1' })
  })
})

test.each([
  [0, '0.0 s'],
  [449, '0.4 s'],
  [9_999, '9.9 s'],
  [12_345, '12 s'],
  [59_999, '59 s'],
  [65_000, '1:05'],
  [3_723_000, '1:02:03'],
  [-5, '0.0 s'],
])('formatElapsed(%d) = %s', (ms, text) => {
  expect(formatElapsed(ms)).toBe(text)
})

describe('failureHint', () => {
  const crashed = { error: 'The program crashed', hint: 'Fix it and save: it runs again on the next change. Or press Retry.', retry: true, terminal: true }
  test.each([
    ['the workbench keeps the hint', crashed, false, crashed.hint],
    ['a read-only copy says to fork, and Retry still helps', crashed, true, 'This copy is read-only: fork it to fix the code, or press Retry.'],
    ['a read-only copy with no retry', { ...crashed, retry: false }, true, 'This copy is read-only: fork it to fix the code.'],
    ['no hint stays none', { ...crashed, hint: '' }, true, ''],
  ] as const)('%s', (_name, failure, readOnly, expected) => {
    expect(failureHint(failure, readOnly)).toBe(expected)
  })
})
