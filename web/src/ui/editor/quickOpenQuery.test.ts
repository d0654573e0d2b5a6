import { expect, test } from 'vitest'
import { parseQuickOpenQuery } from './quickOpenQuery.ts'

test.each([
  ['app', { file: 'app' }],
  ['  app.ts ', { file: 'app.ts' }],
  ['app.ts:12', { file: 'app.ts', line: 12 }],
  ['app.ts:12:5', { file: 'app.ts', line: 12, column: 5 }],
  ['app.ts:', { file: 'app.ts' }],
  [':7', { file: '', line: 7 }],
  ['a:b', { file: 'a:b' }],
])('%j', (query, expected) => {
  expect(parseQuickOpenQuery(query)).toEqual(expected)
})
