import { decodePack, encodePack } from '@slipway/shared'
import { expect, test } from 'vitest'
import { ShareCache, packStream } from './share-cache.ts'

test('ShareCache: concurrent misses share one build; a failed build is not kept; a value over the per-value bound is not kept', async () => {
  const cache = new ShareCache({ maxBytes: 10_000, maxEntryBytes: 4_000 })
  let builds = 0
  const build = (bytes: number) => async () => {
    builds++
    await new Promise((r) => setTimeout(r, 5))
    return { value: `v${builds}`, bytes }
  }
  const [a, b] = await Promise.all([cache.get('k', build(100)), cache.get('k', build(100))])
  expect([a, b, builds]).toEqual(['v1', 'v1', 1])
  expect(await cache.get('k', build(100))).toBe('v1')

  await expect(cache.get('bad', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down')
  expect(await cache.get('bad', build(100))).toBe('v2')

  expect(await cache.get('huge', build(5_000))).toBe('v3')
  expect(cache.has('huge')).toBe(false)
  expect(cache.stats.bytes).toBeLessThanOrEqual(10_000)
  expect(() => new ShareCache({ maxBytes: 100, maxEntryBytes: 200 })).toThrow(RangeError)
})

test('packStream: the same bytes as encodePack, read a batch at a time; a missing or resized blob ends it with an error', async () => {
  const blobs = Array.from({ length: 7 }, (_, i) => ({ sha256: i.toString(16).padStart(64, '0'), bytes: new Uint8Array(1000 + i).fill(i) }))
  const stored = new Map(blobs.map((b) => [b.sha256, b.bytes]))
  const batches: number[] = []
  const read = async (shas: string[]) => {
    batches.push(shas.length)
    return new Map(shas.flatMap((s) => (stored.has(s) ? [[s, stored.get(s)!] as const] : [])))
  }
  const listed = blobs.map((b) => ({ sha256: b.sha256, size: b.bytes.length }))
  const bytes = new Uint8Array(await new Response(packStream(listed, read, 2500)).arrayBuffer())
  expect(bytes).toEqual(encodePack(blobs))
  expect(decodePack(bytes)).toHaveLength(7)
  expect(batches).toEqual([2, 2, 2, 1])

  stored.delete(blobs[5]!.sha256)
  await expect(new Response(packStream(listed, read, 2500)).arrayBuffer()).rejects.toThrow()
  stored.set(blobs[5]!.sha256, new Uint8Array(3))
  await expect(new Response(packStream(listed, read, 2500)).arrayBuffer()).rejects.toThrow()
})
