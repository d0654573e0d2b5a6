import type { PreviewConsoleLevel } from '@slipway/shared'
import { expect, test } from 'vitest'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import { badge, consoleCounts, consoleSummary, countLabel, groupConsole, messageText, stackBody, visibleMessages } from './consoleMessages.ts'

const log = (message: string, extra: Partial<PreviewMessage> = {}): PreviewMessage => ({ level: 'log', kind: 'console', message, ...extra })

test('consecutive identical messages collapse into one row with a count', () => {
  const rows = groupConsole([log('a'), log('a'), log('b'), log('a'), log('a', { level: 'warn' }), log('a', { level: 'warn' })])
  expect(rows.map((r) => [r.text, r.count, r.key])).toEqual([
    ['a', 2, 0],
    ['b', 1, 2],
    ['a', 1, 3],
    ['a', 2, 4],
  ])
})

test('messages from different ports or with different stacks stay apart', () => {
  expect(groupConsole([log('a', { port: 1 }), log('a', { port: 2 })])).toHaveLength(2)
  expect(groupConsole([log('a', { stack: 'x' }), log('a', { stack: 'y' })])).toHaveLength(2)
})

test('keys stay stable as the console grows', () => {
  const first = groupConsole([log('a'), log('b')])
  const later = groupConsole([log('a'), log('b'), log('b'), log('c')])
  expect(later.slice(0, 2).map((r) => r.key)).toEqual(first.map((r) => r.key))
})

test('uncaught errors and rejections say so', () => {
  expect(messageText({ level: 'error', kind: 'uncaught-exception', message: 'TypeError: x is undefined' })).toBe('Uncaught TypeError: x is undefined')
  expect(messageText({ level: 'error', kind: 'unhandled-rejection', message: 'boom' })).toBe('Unhandled rejection: boom')
  expect(messageText(log('plain'))).toBe('plain')
})

test('the stack drops the line that repeats the message', () => {
  const m = { level: 'error', kind: 'uncaught-exception', message: 'TypeError: x is undefined', stack: 'TypeError: x is undefined\n    at f (app.js:1:2)\n    at g (app.js:3:4)\n' } as const
  expect(stackBody(m)).toBe('    at f (app.js:1:2)\n    at g (app.js:3:4)')
  expect(stackBody({ ...m, stack: '    at f (app.js:1:2)' })).toBe('    at f (app.js:1:2)')
  expect(stackBody({ ...m, stack: 'TypeError: x is undefined' })).toBeUndefined()
  expect(stackBody(log('no stack'))).toBeUndefined()
})

test('counts per level; errors include uncaught ones', () => {
  const counts = consoleCounts([
    log('a'),
    log('b', { level: 'error' }),
    log('c', { level: 'warn' }),
    log('d', { level: 'error', kind: 'uncaught-exception' }),
    log('e', { level: 'error', kind: 'unhandled-rejection' }),
    log('f', { level: 'debug' }),
    log('g', { level: 'info' }),
    log('h'),
  ])
  expect(counts).toEqual({ errors: 3, warnings: 1, byLevel: { error: 3, warn: 1, info: 1, log: 2, debug: 1 } })
})

test.each<[number, PreviewConsoleLevel, string]>([
  [1, 'error', '1 error'],
  [2, 'error', '2 errors'],
  [1, 'warn', '1 warning'],
  [0, 'warn', '0 warnings'],
  [3, 'info', '3 info'],
  [1, 'log', '1 log'],
  [5, 'log', '5 logs'],
  [2, 'debug', '2 debug'],
  [250, 'error', '99+ errors'],
])('countLabel(%i, %s) is %j', (count, level, label) => {
  expect(countLabel(count, level)).toBe(label)
})

test('the toggle summary names errors and warnings only', () => {
  expect(consoleSummary(consoleCounts([log('a'), log('b', { level: 'error' })]))).toBe('1 error')
  expect(consoleSummary(consoleCounts([log('b', { level: 'error' }), log('b', { level: 'error' }), log('c', { level: 'warn' })]))).toBe('2 errors, 1 warning')
  expect(consoleSummary(consoleCounts([log('a'), log('d', { level: 'debug' })]))).toBe('')
})

test('level filters hide whole levels', () => {
  const messages = [log('a'), log('b', { level: 'error' }), log('c', { level: 'warn' }), log('d', { level: 'debug' })]
  expect(visibleMessages(messages, new Set())).toBe(messages)
  expect(visibleMessages(messages, new Set(['log', 'debug'] as const)).map((m) => m.message)).toEqual(['b', 'c'])
})

test('badges cap at 99+', () => {
  expect(badge(7)).toBe('7')
  expect(badge(100)).toBe('99+')
})
