import { describe, expect, test } from 'vitest'
import { decodeBase64, encodeBase64, toWireTree } from './encoding.ts'

describe('base64', () => {
  test.each([
    [[], ''],
    [[0], 'AA=='],
    [[0, 1], 'AAE='],
    [[0, 1, 2], 'AAEC'],
    [[255, 254, 253, 128], '//79gA=='],
  ])('%j ⇄ %j', (bytes, text) => {
    expect(encodeBase64(new Uint8Array(bytes))).toBe(text)
    expect([...decodeBase64(text)]).toEqual(bytes)
  })

  test('round-trips every byte value and inputs larger than one conversion slice', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, index) => (index * 31) % 256)
    const text = encodeBase64(bytes)
    expect(text).toBe(Buffer.from(bytes).toString('base64'))
    expect(decodeBase64(text)).toEqual(bytes)
  })

  test('rejects what is not base64', () => {
    expect(() => decodeBase64('not base64!')).toThrow()
  })
})

describe('toWireTree', () => {
  test('keeps text as UTF-8, turns bytes into base64, recurses into folders', () => {
    expect(
      toWireTree({
        'a.txt': { file: { contents: 'héllo' } },
        src: { directory: { 'b.bin': { file: { contents: new Uint8Array([1, 2, 3]) } }, empty: { directory: {} } } },
      }),
    ).toEqual({
      'a.txt': { file: { contents: 'héllo', encoding: 'utf-8' } },
      src: { directory: { 'b.bin': { file: { contents: 'AQID', encoding: 'base64' } }, empty: { directory: {} } } },
    })
  })
})
