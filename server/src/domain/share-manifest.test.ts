import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { decodeManifest, encodeManifest } from './share-manifest.ts'
import type { ManifestEntry } from './share-manifest.ts'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

test('round-trips entries sorted by path, with non-ASCII paths and large sizes', () => {
  const entries: ManifestEntry[] = [
    { path: 'src/z.ts', size: 0, sha256: sha('z'), binary: false },
    { path: 'src/a.ts', size: 300, sha256: sha('a'), binary: false },
    { path: 'assets/é漢🙂.png', size: 5 * 1024 * 1024, sha256: sha('p'), binary: true },
    { path: 'src/a.tsx', size: 1, sha256: sha('b'), binary: false },
  ]
  expect(decodeManifest(encodeManifest(entries))).toEqual([...entries].sort((a, b) => (a.path < b.path ? -1 : 1)))
  expect(decodeManifest(encodeManifest([]))).toEqual([])
})

test('a 1,000-file project takes under 64 KB (~45 bytes a file)', () => {
  const entries = Array.from({ length: 1000 }, (_, i) => ({
    path: `src/module-${Math.floor(i / 50)}/component-${i}.tsx`,
    size: 10_000 + i,
    sha256: sha(String(i)),
    binary: false,
  }))
  const bytes = encodeManifest(entries).length
  expect(bytes).toBeLessThan(50_000)
  expect(JSON.stringify(entries).length).toBeGreaterThan(2 * bytes)
})

test.each([
  ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 1)],
  ['trailing bytes', (b: Uint8Array) => Uint8Array.from([...b, 0])],
  ['a count larger than the bytes', () => Uint8Array.of(0xff, 0x01)],
  ['a prefix longer than the previous path', (b: Uint8Array) => b.map((x, i) => (i === 1 ? 9 : x))],
])('refuses a manifest with %s', (_name, mutate) => {
  const good = encodeManifest([{ path: 'a', size: 1, sha256: sha('a'), binary: false }])
  expect(() => decodeManifest(mutate(good))).toThrow(RangeError)
})
