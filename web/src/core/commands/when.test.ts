import { describe, expect, test } from 'vitest'
import { evaluateWhen, formatWhen, parseWhen, type ContextValue } from './when.ts'

const ctx = (values: Record<string, ContextValue>) => ({ get: (key: string) => values[key] })

describe('evaluateWhen', () => {
  const context = ctx({ editorFocus: true, terminalFocus: false, openEditorCount: 3, platform: 'linux', label: '' })
  test.each([
    ['editorFocus', true],
    ['terminalFocus', false],
    ['unknownKey', false],
    ['!terminalFocus', true],
    ['!!editorFocus', true],
    ['editorFocus && !terminalFocus', true],
    ['editorFocus && terminalFocus', false],
    ['terminalFocus || editorFocus', true],
    ['terminalFocus || unknownKey', false],
    // && binds tighter than ||.
    ['editorFocus || terminalFocus && unknownKey', true],
    ['(editorFocus || terminalFocus) && unknownKey', false],
    ['!(terminalFocus || unknownKey)', true],
    ['openEditorCount >= 3', true],
    ['openEditorCount > 3', false],
    ['openEditorCount < 4 && openEditorCount <= 3', true],
    ['openEditorCount == 3', true],
    ["platform == 'linux'", true],
    ['platform == linux', true],
    ['platform != "mac"', true],
    ['editorFocus == true', true],
    ['terminalFocus == false', true],
    ['unknownKey == false', false],
    ['unknownKey >= 0', false],
    ['label', false],
  ])('%s → %s', (text, expected) => {
    expect(evaluateWhen(parseWhen(text), context)).toBe(expected)
  })
})

describe('parseWhen refuses what it cannot read, saying where', () => {
  test.each([
    ['', /at 0: expected a context key/],
    ['editorFocus &&', /at 14: expected a context key/],
    ['(editorFocus', /expected "\)"/],
    ['editorFocus terminalFocus', /at 12: expected "&&", "\|\|" or the end/],
    ['a == ', /expected a value/],
    ["a == 'x", /unterminated string/],
    ['a > b', /compares with a number/],
    ['a & b', /unexpected "&"/],
  ])('%j', (text, message) => {
    expect(() => parseWhen(text)).toThrow(RangeError)
    expect(() => parseWhen(text)).toThrow(message)
  })
})

test('formatWhen writes a clause back so that it parses to the same thing', () => {
  for (const text of ['a && !b', 'a || b && c', '(a || b) && c', '!(a || b)', "p == 'mac'", 'n >= 2']) {
    const expr = parseWhen(text)
    expect(parseWhen(formatWhen(expr))).toEqual(expr)
  }
  expect(formatWhen(parseWhen('editorFocus&&!terminalFocus'))).toBe('editorFocus && !terminalFocus')
})
