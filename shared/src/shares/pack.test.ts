import { describe, expect, test } from 'vitest'
import { PackError, decodePack, encodePack, encodePackEntries, encodePackHeader, packSize, sha256Hex, verifyPack } from './pack.ts'

const enc = new TextEncoder()

async function entry(text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? enc.encode(text) : text
  return { sha256: await sha256Hex(bytes), bytes }
}

describe('pack', () => {
  test('round-trips blobs of every size, in order, with no copy on decode', async () => {
    const entries = [await entry(''), await entry('hello'), await entry(new Uint8Array(70_000).map((_, i) => i % 251)), await entry('é漢🙂')]
    const pack = encodePack(entries)
    expect(pack.length).toBe(packSize(entries.map((e) => e.bytes.length)))
    const decoded = decodePack(pack)
    expect(decoded.map((e) => e.sha256)).toEqual(entries.map((e) => e.sha256))
    decoded.forEach((e, i) => expect(Array.from(e.bytes)).toEqual(Array.from(entries[i]!.bytes)))
    expect(decoded[1]!.bytes.buffer).toBe(pack.buffer)
    expect([...(await verifyPack(pack)).keys()]).toEqual(entries.map((e) => e.sha256))
  })

  test('a header followed by its entries in parts is the same pack', async () => {
    const entries = [await entry('a'), await entry(''), await entry('ccc'), await entry(new Uint8Array(300).fill(9))]
    const parts = [encodePackHeader(entries.length), encodePackEntries(entries.slice(0, 1)), encodePackEntries([]), encodePackEntries(entries.slice(1))]
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0)
    expect(joined).toEqual(encodePack(entries))
    expect(() => encodePackHeader(-1)).toThrow(RangeError)
  })

  test('an empty pack is 12 bytes', () => {
    expect(encodePack([]).length).toBe(12)
    expect(decodePack(encodePack([]))).toEqual([])
  })

  test('decodes a pack that is a view into a larger buffer', async () => {
    const pack = encodePack([await entry('abc')])
    const big = new Uint8Array(pack.length + 10)
    big.set(pack, 5)
    expect(new TextDecoder().decode(decodePack(big.subarray(5, 5 + pack.length))[0]!.bytes)).toBe('abc')
  })

  test('sha256Hex is the standard digest', async () => {
    expect(await sha256Hex(enc.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  test.each<[string, (p: Uint8Array) => Uint8Array, RegExp]>([
    ['bad magic', (p) => p.map((b, i) => (i === 0 ? 0 : b)), /bad magic/],
    ['too short', (p) => p.subarray(0, 8), /bad magic/],
    ['unknown format', (p) => p.map((b, i) => (i === 4 ? 2 : b)), /format 2/],
    ['truncated entry header', (p) => p.subarray(0, 12 + 20), /truncated in entry 0/],
    ['truncated bytes', (p) => p.subarray(0, p.length - 1), /truncated in entry 1/],
    ['trailing bytes', (p) => Uint8Array.from([...p, 0]), /1 trailing bytes/],
    ['count larger than entries', (p) => p.map((b, i) => (i === 11 ? 3 : b)), /truncated in entry 2/],
  ])('refuses a pack with %s', async (_name, mutate, message) => {
    const pack = encodePack([await entry('one'), await entry('two')])
    expect(() => decodePack(mutate(pack))).toThrow(message)
    expect(() => decodePack(mutate(pack))).toThrow(PackError)
  })

  test('refuses a repeated blob and more entries than allowed', async () => {
    const a = await entry('a')
    const b = await entry('b')
    expect(() => decodePack(encodePack([a, a]))).toThrow(/repeats blob/)
    expect(() => decodePack(encodePack([a, b]), { maxEntries: 1 })).toThrow(/2 entries \(at most 1\)/)
  })

  test('verifyPack refuses a blob that does not match its hash', async () => {
    const pack = encodePack([{ sha256: (await entry('x')).sha256, bytes: enc.encode('y') }])
    await expect(verifyPack(pack)).rejects.toThrow(/hashes to/)
  })

  test('encodePack refuses a malformed hash', () => {
    expect(() => encodePack([{ sha256: 'ABC', bytes: new Uint8Array() }])).toThrow(PackError)
  })
})
