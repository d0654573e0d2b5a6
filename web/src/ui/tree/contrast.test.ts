import { expect, test } from 'vitest'
import { contrast, mix, parseHex, readableShade, toHex } from './contrast.ts'

test.each([
  ['#000', '#fff', 21],
  ['#ffffff', '#ffffff', 1],
  // The two the audit found (issue 16): the git badge on the sidebar, the npm badge on a selected row.
  ['#e8572f', '#f3f3f3', 3.24],
  ['#cb3837', '#d2dcf2', 3.66],
  ['#6e6e6e', '#f3f3f3', 4.6],
])('contrast(%s, %s) = %d', (a, b, ratio) => {
  expect(contrast(parseHex(a), parseHex(b))).toBeCloseTo(ratio, 1)
})

test('hex round trip and mixing', () => {
  expect(toHex(parseHex('#3178C6'))).toBe('#3178c6')
  expect(toHex(parseHex('#abc'))).toBe('#aabbcc')
  expect(toHex(mix(parseHex('#2563eb'), parseHex('#f3f3f3'), 0.84))).toBe('#d2dcf2')
  expect(() => parseHex('red')).toThrow('Not a hex colour: "red"')
})

test('readableShade keeps a colour that already reads, and darkens or lightens one that does not', () => {
  expect(readableShade('#1f1f1f', ['#ffffff'], 4.5, 'darker')).toBe('#1f1f1f')
  const darker = readableShade('#e8572f', ['#f3f3f3', '#d2dcf2'], 4.5, 'darker')
  for (const bg of ['#f3f3f3', '#d2dcf2']) expect(contrast(parseHex(darker), parseHex(bg))).toBeGreaterThanOrEqual(4.5)
  // Still a red-orange: red stays the largest channel.
  const [r, g, b] = parseHex(darker)
  expect(r).toBeGreaterThan(g)
  expect(r).toBeGreaterThan(b)
  const lighter = readableShade('#3178c6', ['#1f1f1f'], 4.5, 'lighter')
  expect(contrast(parseHex(lighter), parseHex('#1f1f1f'))).toBeGreaterThanOrEqual(4.5)
})
