import { expect, test } from 'vitest'
import type { DocumentSymbolItem } from '../../core/editor/EditorController.ts'
import { filterSymbols } from './symbolFilter.ts'

const at = (name: string, line: number, kind = 'function', container?: string): DocumentSymbolItem => ({ name, kind, line, column: 1, ...(container ? { container } : {}) })
const symbols = [at('Greeter', 1, 'class'), at('greet', 2, 'method', 'Greeter'), at('farewell', 8), at('getUserName', 12), at('rangeStart', 20, 'variable'), at('greet', 30)]
const names = (query: string) => filterSymbols(symbols, query).map((m) => `${m.symbol.name}@${m.symbol.line}`)

test.each([
  ['', ['Greeter@1', 'greet@2', 'farewell@8', 'getUserName@12', 'rangeStart@20', 'greet@30']],
  ['  ', ['Greeter@1', 'greet@2', 'farewell@8', 'getUserName@12', 'rangeStart@20', 'greet@30']],
  // Exact names first, then prefixes; ties in document order.
  ['greet', ['greet@2', 'greet@30', 'Greeter@1']],
  ['GREET', ['greet@2', 'greet@30', 'Greeter@1']],
  // camelCase humps.
  ['gun', ['getUserName@12']],
  ['rs', ['rangeStart@20']],
  ['fw', ['farewell@8']],
  ['xyz', []],
])('%j', (query, expected) => {
  expect(names(query)).toEqual(expected)
})

test('positions mark the matched characters, preferring word starts', () => {
  expect(filterSymbols(symbols, 'gun').map((m) => m.positions)).toEqual([[0, 3, 7]])
  expect(filterSymbols(symbols, 'rs')[0]!.positions).toEqual([0, 5])
})

test('limit', () => {
  expect(filterSymbols(symbols, '', 2)).toHaveLength(2)
})
