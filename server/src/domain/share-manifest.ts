/// The stored form of a share version's manifest: a compact binary list, since a version of a 1,000-file project is
/// stored on every publish (JSON would take ~110 KB a version; this takes ~45 bytes a file). Pure.
///
///   varint count · count × ( varint shared · varint suffixLength · suffix (UTF-8) · varint size · u8 flags · 32-byte sha256 )
///
/// Entries are sorted by path (UTF-16 order, as JS sorts); `shared` is how many leading UTF-8 bytes the path has in
/// common with the previous one. `flags` bit 0: binary.

export interface ManifestEntry {
  path: string
  size: number
  /// Lowercase hex.
  sha256: string
  binary: boolean
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

class Writer {
  private buf = new Uint8Array(1024)
  length = 0
  private room(n: number) {
    if (this.length + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n))
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }
  varint(n: number) {
    this.room(8)
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80
      n = Math.floor(n / 0x80)
    }
    this.buf[this.length++] = n
  }
  bytes(b: Uint8Array) {
    this.room(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }
  done() {
    return this.buf.slice(0, this.length)
  }
}

export function encodeManifest(entries: readonly ManifestEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const w = new Writer()
  w.varint(sorted.length)
  let previous = new Uint8Array(0)
  const hash = new Uint8Array(32)
  for (const e of sorted) {
    const path = encoder.encode(e.path)
    let shared = 0
    while (shared < path.length && shared < previous.length && path[shared] === previous[shared]) shared++
    w.varint(shared)
    w.varint(path.length - shared)
    w.bytes(path.subarray(shared))
    w.varint(e.size)
    w.bytes(Uint8Array.of(e.binary ? 1 : 0))
    if (!/^[0-9a-f]{64}$/.test(e.sha256)) throw new RangeError(`Invalid sha256 ${JSON.stringify(e.sha256)} for ${e.path}`)
    for (let i = 0; i < 32; i++) hash[i] = parseInt(e.sha256.slice(i * 2, i * 2 + 2), 16)
    w.bytes(hash)
    previous = path
  }
  return w.done()
}

/// Throws `RangeError` on anything `encodeManifest` would not have written.
export function decodeManifest(bytes: Uint8Array): ManifestEntry[] {
  let at = 0
  const varint = () => {
    let n = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      if (at >= bytes.length) throw new RangeError('Manifest truncated')
      const b = bytes[at++]!
      n += (b & 0x7f) * scale
      if (b < 0x80) return n
      scale *= 0x80
    }
    throw new RangeError('Manifest varint too long')
  }
  const take = (n: number) => {
    if (at + n > bytes.length) throw new RangeError('Manifest truncated')
    const out = bytes.subarray(at, at + n)
    at += n
    return out
  }
  const count = varint()
  if (count > bytes.length) throw new RangeError(`Manifest announces ${count} entries in ${bytes.length} bytes`)
  const out: ManifestEntry[] = []
  let previous = new Uint8Array(0)
  for (let i = 0; i < count; i++) {
    const shared = varint()
    if (shared > previous.length) throw new RangeError('Manifest path prefix out of range')
    const suffix = take(varint())
    const path = new Uint8Array(shared + suffix.length)
    path.set(previous.subarray(0, shared))
    path.set(suffix, shared)
    const size = varint()
    const flags = take(1)[0]!
    const sha256 = Array.from(take(32), (b) => b.toString(16).padStart(2, '0')).join('')
    out.push({ path: decoder.decode(path), size, sha256, binary: (flags & 1) === 1 })
    previous = path
  }
  if (at !== bytes.length) throw new RangeError('Manifest has trailing bytes')
  return out
}
