/// Reading a response body with a byte bound that holds while it streams: past `maxBytes` the download is cancelled
/// at once, rather than buffered whole and measured afterwards (a lying or broken server cannot fill the tab's memory).

export type BoundedBody =
  | { ok: true; bytes: Uint8Array }
  /// `received`: bytes that had arrived when reading stopped (or the announced `Content-Length`).
  | { ok: false; kind: 'too-large'; limit: number; received: number }

export async function readBounded(res: Response, maxBytes: number): Promise<BoundedBody> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`Invalid byte bound ${maxBytes}`)
  const announced = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(announced) && announced > maxBytes) {
    await res.body?.cancel().catch(() => {})
    return { ok: false, kind: 'too-large', limit: maxBytes, received: announced }
  }
  if (!res.body) return { ok: true, bytes: new Uint8Array(0) }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    received += value.byteLength
    if (received > maxBytes) {
      await reader.cancel().catch(() => {})
      return { ok: false, kind: 'too-large', limit: maxBytes, received }
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! }
  const bytes = new Uint8Array(received)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return { ok: true, bytes }
}
