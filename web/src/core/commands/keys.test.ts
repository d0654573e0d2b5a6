import { describe, expect, test } from 'vitest'
import { chordKeys, formatChord, keyStrokeFromEvent, parseKeybinding, type KeyEventLike } from './keys.ts'

const ev = (key: string, code: string, mods: Partial<Pick<KeyEventLike, 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>> = {}): KeyEventLike => ({
  key,
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
})

describe('parseKeybinding', () => {
  test.each([
    ['ctrl+shift+p', [{ ctrl: true, shift: true, alt: false, meta: false, key: 'p' }]],
    ['F1', [{ ctrl: false, shift: false, alt: false, meta: false, key: 'f1' }]],
    ['Ctrl+`', [{ ctrl: true, shift: false, alt: false, meta: false, key: '`' }]],
    ['alt+9', [{ ctrl: false, shift: false, alt: true, meta: false, key: '9' }]],
    ['shift+alt+f', [{ ctrl: false, shift: true, alt: true, meta: false, key: 'f' }]],
    ['cmd+k', [{ ctrl: false, shift: false, alt: false, meta: true, key: 'k' }]],
    [
      'ctrl+k  ctrl+s',
      [
        { ctrl: true, shift: false, alt: false, meta: false, key: 'k' },
        { ctrl: true, shift: false, alt: false, meta: false, key: 's' },
      ],
    ],
  ])('%s', (text, chord) => {
    expect(parseKeybinding(text)).toEqual(chord)
  })

  test('on macOS ctrl is ⌘ (CtrlCmd) unless the binding is a mac one that means Control', () => {
    expect(parseKeybinding('ctrl+p', 'mac')).toEqual([{ ctrl: false, shift: false, alt: false, meta: true, key: 'p' }])
    expect(parseKeybinding('ctrl+g', 'mac', { macCtrl: true })).toEqual([{ ctrl: true, shift: false, alt: false, meta: false, key: 'g' }])
  })

  test.each([
    ['', /one key or a chord/],
    ['ctrl+k ctrl+s ctrl+x', /one key or a chord/],
    ['ctrl+shift', /no key, only modifiers/],
    ['ctrl+ctrl+p', /"ctrl" twice/],
    ['ctrl+p+q', /two keys/],
    ['ctrl+foo', /unknown key "foo"/],
  ])('%j is refused with the reason', (text, reason) => {
    expect(() => parseKeybinding(text)).toThrow(RangeError)
    expect(() => parseKeybinding(text)).toThrow(reason)
  })
})

describe('keyStrokeFromEvent', () => {
  test('letters are the layout letter, case-free', () => {
    expect(keyStrokeFromEvent(ev('P', 'KeyP', { ctrlKey: true, shiftKey: true }))).toEqual({ ctrl: true, shift: true, alt: false, meta: false, key: 'p' })
    // Dvorak: the key labelled B sits where QWERTY has N.
    expect(keyStrokeFromEvent(ev('b', 'KeyN', { ctrlKey: true }))?.key).toBe('b')
  })

  test('a letter key that types no Latin letter falls back to its position (Cyrillic, macOS Option)', () => {
    expect(keyStrokeFromEvent(ev('з', 'KeyP', { ctrlKey: true }))?.key).toBe('p')
    expect(keyStrokeFromEvent(ev('∑', 'KeyW', { altKey: true }), 'mac')?.key).toBe('w')
  })

  test('AltGr (Ctrl+Alt off macOS) typing a character is not a shortcut; ⌃⌥ on macOS is', () => {
    expect(keyStrokeFromEvent(ev('ś', 'KeyS', { ctrlKey: true, altKey: true }))).toBeUndefined()
    expect(keyStrokeFromEvent(ev('s', 'KeyS', { ctrlKey: true, altKey: true }))?.key).toBe('s')
    expect(keyStrokeFromEvent(ev('ß', 'KeyS', { ctrlKey: true, altKey: true }), 'mac')?.key).toBe('s')
  })

  test('digits and punctuation are positions, whatever Shift makes of them', () => {
    expect(keyStrokeFromEvent(ev('!', 'Digit1', { altKey: true, shiftKey: true }))?.key).toBe('1')
    expect(keyStrokeFromEvent(ev('~', 'Backquote', { ctrlKey: true, shiftKey: true }))?.key).toBe('`')
  })

  test('named keys', () => {
    expect(keyStrokeFromEvent(ev('F5', 'F5', { shiftKey: true }))?.key).toBe('f5')
    expect(keyStrokeFromEvent(ev('PageDown', 'PageDown', { ctrlKey: true }))?.key).toBe('pagedown')
    expect(keyStrokeFromEvent(ev('ArrowUp', 'ArrowUp'))?.key).toBe('up')
    expect(keyStrokeFromEvent(ev('Tab', 'Tab', { ctrlKey: true }))?.key).toBe('tab')
    expect(keyStrokeFromEvent(ev(' ', 'Space'))?.key).toBe('space')
    expect(keyStrokeFromEvent(ev('End', 'Numpad1'))?.key).toBe('numpad1')
  })

  test('a lone modifier or an unknown key is no stroke', () => {
    expect(keyStrokeFromEvent(ev('Control', 'ControlLeft', { ctrlKey: true }))).toBeUndefined()
    expect(keyStrokeFromEvent(ev('Shift', 'ShiftLeft', { shiftKey: true }))).toBeUndefined()
    expect(keyStrokeFromEvent(ev('Process', ''))).toBeUndefined()
  })

  test('an event stroke equals the parsed binding', () => {
    expect([keyStrokeFromEvent(ev('`', 'Backquote', { ctrlKey: true }))]).toEqual(parseKeybinding('ctrl+`'))
    expect([keyStrokeFromEvent(ev('p', 'KeyP', { metaKey: true }), 'mac')]).toEqual(parseKeybinding('ctrl+p', 'mac'))
  })
})

describe('formatChord', () => {
  test('VS Code labels: Ctrl+Shift+Alt+Key elsewhere, ⌃⌥⇧⌘ on macOS', () => {
    expect(formatChord(parseKeybinding('shift+ctrl+p'), 'other')).toBe('Ctrl+Shift+P')
    expect(formatChord(parseKeybinding('ctrl+alt+s'), 'other')).toBe('Ctrl+Alt+S')
    expect(formatChord(parseKeybinding('ctrl+k ctrl+s'), 'other')).toBe('Ctrl+K Ctrl+S')
    expect(formatChord(parseKeybinding('ctrl+shift+p', 'mac'), 'mac')).toBe('⇧⌘P')
    expect(formatChord(parseKeybinding('ctrl+alt+s', 'mac', { macCtrl: true }), 'mac')).toBe('⌃⌥S')
    expect(formatChord(parseKeybinding('ctrl+pagedown'), 'other')).toBe('Ctrl+PageDown')
    expect(chordKeys(parseKeybinding('ctrl+`'), 'other')).toEqual([['Ctrl', '`']])
  })
})
