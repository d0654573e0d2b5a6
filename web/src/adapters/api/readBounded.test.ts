import { describe, expect, test } from 'vitest'
import { ApiClient } from './client.ts'
import { readBounded } from './readBounded.ts'

const LINK = 'AbCdEfGhIjKlMnOpQrSt-_'
const CHUNK = 16 * 1024

/// A body that streams `total` bytes (or without end) in chunks, counting what the reader pulled and whether it was
/// cancelled: a server that sends more than it should.
function streaming(total = Infinity, headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const n = Math.min(CHUNK, total - seen.pulled)
        if (n <= 0) return controller.close()
        seen.pulled += n
        controller.enqueue(new Uint8Array(n).fill(7))
      },
      cancel() {
        seen.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { response: new Response(body, { status: 200, headers }), seen }
}

describe('readBounded', () => {
  test.each([
    ['exactly the bound', 3 * CHUNK, 3 * CHUNK],
    ['less than the bound, over several chunks', 2 * CHUNK + 5, 3 * CHUNK],
    ['an empty body', 0, 10],
  ])('%s arrives whole', async (_name, total, max) => {
    const { response } = streaming(total)
    const body = await readBounded(response, max)
    expect(body.ok && body.bytes.length).toBe(total)
  })

  test('a body that never ends is cancelled just past the bound, not read to the end', async () => {
    const { response, seen } = streaming()
    expect(await readBounded(response, 3 * CHUNK + 1)).toEqual({ ok: false, kind: 'too-large', limit: 3 * CHUNK + 1, received: 4 * CHUNK })
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThanOrEqual(5 * CHUNK)
  })

  test('an announced Content-Length past the bound stops before reading anything', async () => {
    const { response, seen } = streaming(Infinity, { 'content-length': String(10 * CHUNK) })
    expect(await readBounded(response, CHUNK)).toEqual({ ok: false, kind: 'too-large', limit: CHUNK, received: 10 * CHUNK })
    expect(seen.pulled).toBe(0)
  })
})

describe('ApiClient.sharePack', () => {
  test('a server streaming more than the bound is cut off with too-large', async () => {
    const { response, seen } = streaming()
    const urls: string[] = []
    const api = new ApiClient(async (url) => (urls.push(url), response))
    expect(await api.sharePack(LINK, 2, 2 * CHUNK)).toMatchObject({ ok: false, kind: 'too-large', limit: 2 * CHUNK })
    expect(urls).toEqual([`/api/s/${LINK}/v/2/pack`])
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThanOrEqual(4 * CHUNK)
  })

  test('a pack within the bound arrives as bytes', async () => {
    const api = new ApiClient(async () => streaming(CHUNK + 3).response)
    const r = await api.sharePack(LINK, 1, 2 * CHUNK)
    expect(r.ok && r.value.length).toBe(CHUNK + 3)
  })
})
