import { expect, test } from 'vitest'
import { parseQuickOpenQuery } from './quickOpenQuery.ts'

test.each([
  ['app', { kind: 'file', file: 'app' }],
  ['  app.ts ', { kind: 'file', file: 'app.ts' }],
  ['app.ts:12', { kind: 'file', file: 'app.ts', line: 12 }],
  ['app.ts:12:5', { kind: 'file', file: 'app.ts', line: 12, column: 5 }],
  ['app.ts:', { kind: 'file', file: 'app.ts' }],
  ['a:b', { kind: 'file', file: 'a:b' }],
  ['', { kind: 'file', file: '' }],
  // A line of the active file.
  [':', { kind: 'line' }],
  [':7', { kind: 'line', line: 7 }],
  [' :7 ', { kind: 'line', line: 7 }],
  [': 7', { kind: 'line', line: 7 }],
  [':7:3', { kind: 'line', line: 7, column: 3 }],
  [':7,3', { kind: 'line', line: 7, column: 3 }],
  [':7:', { kind: 'line', line: 7 }],
  [':0', { kind: 'line' }],
  [':7:0', { kind: 'line', line: 7 }],
  [':x', { kind: 'line' }],
  // A symbol of the active file.
  ['@', { kind: 'symbol', symbol: '' }],
  ['@greet', { kind: 'symbol', symbol: 'greet' }],
  [' @ greet ', { kind: 'symbol', symbol: 'greet' }],
  ['@a:12', { kind: 'symbol', symbol: 'a:12' }],
  ['app@2.ts', { kind: 'file', file: 'app@2.ts' }],
])('%j', (query, expected) => {
  expect(parseQuickOpenQuery(query)).toEqual(expected)
})
