import { expect, test } from 'vitest'
import { runShortcut } from './shortcuts.ts'

const k = (key: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey' | 'repeat', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  repeat: false,
  ...mods,
})

test('F5 runs, Shift+F5 stops, Ctrl/Cmd+Shift+F5 restarts', () => {
  expect(runShortcut(k('F5'))).toBe('start')
  expect(runShortcut(k('F5', { shiftKey: true }))).toBe('stop')
  expect(runShortcut(k('F5', { ctrlKey: true, shiftKey: true }))).toBe('restart')
  expect(runShortcut(k('F5', { metaKey: true, shiftKey: true }))).toBe('restart')
})

test('other keys, held keys and other modifiers do nothing', () => {
  expect(runShortcut(k('F6'))).toBeUndefined()
  expect(runShortcut(k('F5', { repeat: true }))).toBeUndefined()
  expect(runShortcut(k('F5', { altKey: true }))).toBeUndefined()
  expect(runShortcut(k('F5', { ctrlKey: true }))).toBeUndefined()
})
