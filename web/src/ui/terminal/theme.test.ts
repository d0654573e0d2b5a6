import { expect, test } from 'vitest'
import { MONO_FALLBACK, terminalFont, terminalTheme } from './theme.ts'

const vars = (map: Record<string, string>) => (name: string) => map[name] ?? ''

test('surface colours come from the CSS variables', () => {
  const theme = terminalTheme('dark', vars({ '--bg-editor': ' #101010', '--text': '#eeeeee', '--text-strong': '#ffffff' }))
  expect(theme).toMatchObject({ background: '#101010', foreground: '#eeeeee', cursor: '#ffffff', cursorAccent: '#101010' })
  expect(theme.brightGreen).toBe('#23d18b')
})

test('unset variables fall back to the scheme defaults, and the palettes differ per scheme', () => {
  const light = terminalTheme('light', vars({}))
  const dark = terminalTheme('dark', vars({}))
  expect(light.background).toBe('#fffffe')
  expect(dark.background).toBe('#1e1e1e')
  expect(light.yellow).not.toBe(dark.yellow)
  expect(light.selectionBackground).not.toBe(dark.selectionBackground)
})

test('the font stack is --font-mono, or a monospace fallback', () => {
  expect(terminalFont(vars({ '--font-mono': ' Menlo, monospace ' }))).toBe('Menlo, monospace')
  expect(terminalFont(vars({}))).toBe(MONO_FALLBACK)
})
