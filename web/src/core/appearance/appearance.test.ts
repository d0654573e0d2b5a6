import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { DEFAULT_APPEARANCE, editorLineHeight, fontSizeFromInput, parseAppearance, resolveScheme, zoomFontSize } from './appearance.ts'
import type { ThemeChoice } from './appearance.ts'

describe('parseAppearance', () => {
  test.each<[string, unknown, object]>([
    ['nothing stored', undefined, DEFAULT_APPEARANCE],
    ['null', null, DEFAULT_APPEARANCE],
    ['a string', 'dark', DEFAULT_APPEARANCE],
    ['an array', ['dark'], DEFAULT_APPEARANCE],
    ['a full value', { theme: 'dark', editorFontSize: 16, terminalFontSize: 12 }, { theme: 'dark', editorFontSize: 16, terminalFontSize: 12 }],
    ['only a theme', { theme: 'light' }, { ...DEFAULT_APPEARANCE, theme: 'light' }],
    ['an unknown theme keeps the sizes', { theme: 'solarized', editorFontSize: 18 }, { ...DEFAULT_APPEARANCE, editorFontSize: 18 }],
    ['a theme of the wrong case', { theme: 'Dark' }, DEFAULT_APPEARANCE],
    ['a size below the range', { editorFontSize: 9 }, DEFAULT_APPEARANCE],
    ['a size above the range', { terminalFontSize: 25 }, DEFAULT_APPEARANCE],
    ['the bounds', { editorFontSize: 10, terminalFontSize: 24 }, { ...DEFAULT_APPEARANCE, editorFontSize: 10, terminalFontSize: 24 }],
    ['a fractional size', { editorFontSize: 13.5 }, DEFAULT_APPEARANCE],
    ['a size as a string', { editorFontSize: '16' }, DEFAULT_APPEARANCE],
    ['NaN and Infinity', { editorFontSize: Number.NaN, terminalFontSize: Infinity }, DEFAULT_APPEARANCE],
    ['extra fields are dropped', { theme: 'dark', density: 'compact', __proto__x: 1 }, { ...DEFAULT_APPEARANCE, theme: 'dark' }],
  ])('%s', (_name, stored, expected) => {
    expect(parseAppearance(stored)).toStrictEqual(expected)
  })
})

test.each<[ThemeChoice, boolean, string]>([
  ['system', false, 'light'],
  ['system', true, 'dark'],
  ['light', true, 'light'],
  ['dark', false, 'dark'],
])('resolveScheme(%s, system dark: %s) is %s', (theme, dark, scheme) => {
  expect(resolveScheme(theme, dark)).toBe(scheme)
})

test.each<[number, 'in' | 'out' | 'reset', number]>([
  [13, 'in', 14],
  [13, 'out', 12],
  [24, 'in', 24],
  [10, 'out', 10],
  [20, 'reset', 13],
])('zoomFontSize(%d, %s) is %d', (size, zoom, next) => {
  expect(zoomFontSize(size, zoom)).toBe(next)
})

test.each<[string, number | undefined]>([
  ['16', 16],
  [' 15 ', 15],
  ['15.6', 16],
  ['3', 10],
  ['99', 24],
  ['', undefined],
  ['abc', undefined],
  ['1e400', undefined],
])('fontSizeFromInput(%j) is %s', (text, size) => {
  expect(fontSizeFromInput(text)).toBe(size)
})

test('the editor line height keeps 13 px at 20 px and grows with the font', () => {
  expect(editorLineHeight(13)).toBe(20)
  expect(editorLineHeight(10)).toBe(15)
  expect(editorLineHeight(24)).toBe(36)
})

// public/appearance.js sets the theme before the first paint; it must pick what the app will pick once it loads, or
// the page would switch scheme a moment after it appears.
describe('public/appearance.js agrees with the kernel', () => {
  const script = readFileSync(new URL('../../../public/appearance.js', import.meta.url), 'utf8')
  const run = (raw: string | null | Error, systemDark: boolean) => {
    const attrs: Record<string, string> = {}
    const style: { colorScheme?: string } = {}
    const localStorage = {
      getItem: (key: string) => {
        if (raw instanceof Error) throw raw
        return key === 'slipway:appearance' ? raw : null
      },
    }
    const window = { matchMedia: (q: string) => ({ matches: q === '(prefers-color-scheme: dark)' && systemDark }) }
    const document = { documentElement: { setAttribute: (k: string, v: string) => (attrs[k] = v), style } }
    new Function('localStorage', 'window', 'document', script)(localStorage, window, document)
    return { theme: attrs['data-theme'], colorScheme: style.colorScheme }
  }
  const stored: Array<string | null | Error> = [
    null,
    'not json',
    'null',
    '"dark"',
    JSON.stringify({ theme: 'dark' }),
    JSON.stringify({ theme: 'light', editorFontSize: 99 }),
    JSON.stringify({ theme: 'system' }),
    JSON.stringify({ theme: 'DARK' }),
    new Error('SecurityError'),
  ]
  for (const raw of stored)
    for (const dark of [false, true])
      test(`${raw instanceof Error ? 'storage throws' : raw}, system ${dark ? 'dark' : 'light'}`, () => {
        const value = raw instanceof Error || raw === null ? undefined : (() => { try { return JSON.parse(raw) } catch { return undefined } })()
        const expected = resolveScheme(parseAppearance(value).theme, dark)
        expect(run(raw, dark)).toEqual({ theme: expected, colorScheme: expected })
      })
})
