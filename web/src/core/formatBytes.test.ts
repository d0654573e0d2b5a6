import { expect, test } from 'vitest'
import { formatBytes } from './formatBytes.ts'

test('formats sizes the way people read them', () => {
  expect(formatBytes(512)).toBe('512 B')
  expect(formatBytes(12_300_000)).toBe('12 MB')
  expect(formatBytes(1_500)).toBe('1.5 KB')
  expect(formatBytes(10e9)).toBe('10 GB')
})
