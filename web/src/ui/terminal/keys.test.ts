import { describe, expect, test } from 'vitest'
import { isMacPlatform, terminalKeyAction } from './keys.ts'
import type { KeyLike } from './keys.ts'

const key = (spec: string): KeyLike => {
  const parts = spec.split('+')
  const k = parts.pop()!
  const code = k.length === 1 && /[a-z]/i.test(k) ? `Key${k.toUpperCase()}` : k === '`' ? 'Backquote' : k
  return { key: k, code, ctrlKey: parts.includes('Ctrl'), shiftKey: parts.includes('Shift'), altKey: parts.includes('Alt'), metaKey: parts.includes('Meta') }
}

describe('Linux / Windows', () => {
  const table: Array<[string, boolean, string]> = [
    ['Ctrl+c', false, 'pass'],
    ['Ctrl+c', true, 'copy'],
    ['Ctrl+Shift+C', false, 'copy'],
    ['Ctrl+Shift+C', true, 'copy'],
    ['Ctrl+v', false, 'paste'],
    ['Ctrl+Shift+V', true, 'paste'],
    ['Shift+Insert', false, 'paste'],
    ['Ctrl+Insert', true, 'copy'],
    ['Ctrl+Insert', false, 'pass'],
    ['Ctrl+d', true, 'pass'],
    ['Ctrl+Alt+c', true, 'pass'],
    ['a', true, 'pass'],
    ['F5', false, 'workbench'],
    ['Shift+F5', false, 'workbench'],
    ['Ctrl+Shift+F5', false, 'workbench'],
    ['Ctrl+Shift+`', false, 'workbench'],
    ['Ctrl+`', false, 'workbench'],
  ]
  test.each(table)('%s (selection: %s) → %s', (spec, hasSelection, action) => {
    expect(terminalKeyAction(key(spec), { hasSelection, mac: false })).toBe(action)
  })

  test('a non-Latin layout still copies by physical key', () => {
    expect(terminalKeyAction({ ...key('Ctrl+c'), key: 'с' }, { hasSelection: true, mac: false })).toBe('copy')
  })
})

describe('macOS', () => {
  test('Ctrl+C always reaches the process, Cmd keys are left to xterm', () => {
    expect(terminalKeyAction(key('Ctrl+c'), { hasSelection: true, mac: true })).toBe('pass')
    expect(terminalKeyAction(key('Meta+c'), { hasSelection: true, mac: true })).toBe('pass')
    expect(terminalKeyAction(key('Meta+v'), { hasSelection: false, mac: true })).toBe('pass')
    expect(terminalKeyAction(key('F5'), { hasSelection: false, mac: true })).toBe('workbench')
  })
})

test('isMacPlatform', () => {
  expect(isMacPlatform({ platform: 'MacIntel' })).toBe(true)
  expect(isMacPlatform({ platform: '', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' })).toBe(true)
  expect(isMacPlatform({ platform: 'Linux x86_64' })).toBe(false)
  expect(isMacPlatform(undefined)).toBe(false)
})
