import { expect, test } from 'vitest'
import { fromBase64Url, toBase64Url } from './base64url.ts'

test('round-trips every length and byte', () => {
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
    const text = toBase64Url(bytes)
    expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
    expect(fromBase64Url(text)).toEqual(bytes)
  }
})

test('refuses what is not base64url', () => {
  for (const bad of ['a', 'ab+c', 'ab/c', 'abc=', 'ab c', '%%']) expect(fromBase64Url(bad)).toBeUndefined()
})
