/// The pack: every blob of a version in one binary response (`GET /api/s/:linkId/v/:n/pack`,
/// `Content-Type: application/vnd.slipway.share-pack`), so opening a 1,000-file project is one request.
///
/// Layout (all integers big-endian):
///   magic "SWPK" (4 bytes) · format 1 (u8) · 3 zero bytes · count (u32)
///   count × ( sha256 (32 raw bytes) · length (u32) · bytes )
/// Each blob appears once, in the order of the manifest's first use of it. The decoder checks the structure only;
/// `verifyPack` also checks every blob against its hash.

export const PACK_CONTENT_TYPE = 'application/vnd.slipway.share-pack'
const MAGIC = [0x53, 0x57, 0x50, 0x4b] // "SWPK"
const FORMAT = 1
const HEADER_BYTES = 12
const ENTRY_HEADER_BYTES = 36

export interface PackEntry {
  /// Lowercase hex sha256 of `bytes`.
  sha256: string
  bytes: Uint8Array
}

export class PackError extends RangeError {
  override name = 'PackError'
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

function unhex(text: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(text)) throw new PackError(`Invalid sha256 ${JSON.stringify(text)} (expected 64 lowercase hex digits)`)
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16)
  return out
}

/// The pack of `entries` (already unique by hash; the encoder does not hash).
export function encodePack(entries: readonly PackEntry[]): Uint8Array {
  let size = HEADER_BYTES
  for (const e of entries) size += ENTRY_HEADER_BYTES + e.bytes.length
  const out = new Uint8Array(size)
  out.set(encodePackHeader(entries.length), 0)
  writeEntries(out, HEADER_BYTES, entries)
  return out
}

/// The first bytes of a pack of `count` entries: a pack can be sent as this header followed by
/// `encodePackEntries` of its entries in parts, in order (how a server streams one it does not hold whole).
export function encodePackHeader(count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) throw new RangeError(`Invalid pack entry count ${count}`)
  const out = new Uint8Array(HEADER_BYTES)
  out.set(MAGIC, 0)
  out[4] = FORMAT
  new DataView(out.buffer).setUint32(8, count)
  return out
}

/// `entries` as they follow the header (or the entries before them) in a pack.
export function encodePackEntries(entries: readonly PackEntry[]): Uint8Array {
  let size = 0
  for (const e of entries) size += ENTRY_HEADER_BYTES + e.bytes.length
  const out = new Uint8Array(size)
  writeEntries(out, 0, entries)
  return out
}

function writeEntries(out: Uint8Array, at: number, entries: readonly PackEntry[]) {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  for (const e of entries) {
    out.set(unhex(e.sha256), at)
    view.setUint32(at + 32, e.bytes.length)
    out.set(e.bytes, at + ENTRY_HEADER_BYTES)
    at += ENTRY_HEADER_BYTES + e.bytes.length
  }
}

/// Bytes of the pack `encodePack` makes for blobs of these sizes (to bound or announce it before building it).
export function packSize(blobSizes: readonly number[]): number {
  return blobSizes.reduce((sum, n) => sum + ENTRY_HEADER_BYTES + n, HEADER_BYTES)
}

/// The entries of a pack, as views into `pack` (no copy). Throws `PackError` for anything malformed: a wrong
/// magic or format, a truncated entry, trailing bytes, more than `maxEntries` entries, a repeated hash.
export function decodePack(pack: Uint8Array, { maxEntries = 100_000 }: { maxEntries?: number } = {}): PackEntry[] {
  if (pack.length < HEADER_BYTES || MAGIC.some((b, i) => pack[i] !== b)) throw new PackError('Not a share pack (bad magic)')
  if (pack[4] !== FORMAT) throw new PackError(`Unsupported share pack format ${pack[4]} (expected ${FORMAT})`)
  const view = new DataView(pack.buffer, pack.byteOffset, pack.byteLength)
  const count = view.getUint32(8)
  if (count > maxEntries) throw new PackError(`Share pack has ${count} entries (at most ${maxEntries})`)
  const entries: PackEntry[] = []
  const seen = new Set<string>()
  let at = HEADER_BYTES
  for (let i = 0; i < count; i++) {
    if (at + ENTRY_HEADER_BYTES > pack.length) throw new PackError(`Share pack truncated in entry ${i} of ${count}`)
    const sha256 = hex(pack.subarray(at, at + 32))
    const length = view.getUint32(at + 32)
    const start = at + ENTRY_HEADER_BYTES
    if (start + length > pack.length) throw new PackError(`Share pack truncated in entry ${i} of ${count} (${length} bytes announced)`)
    if (seen.has(sha256)) throw new PackError(`Share pack repeats blob ${sha256}`)
    seen.add(sha256)
    entries.push({ sha256, bytes: pack.subarray(start, start + length) })
    at = start + length
  }
  if (at !== pack.length) throw new PackError(`Share pack has ${pack.length - at} trailing bytes`)
  return entries
}

/// Lowercase hex sha256 of `bytes` (Web Crypto: browsers, workers and Node alike).
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
}

/// `decodePack`, then checks that every blob hashes to its address; throws `PackError` naming the first that does not.
export async function verifyPack(pack: Uint8Array, options?: { maxEntries?: number }): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>()
  for (const e of decodePack(pack, options)) {
    const actual = await sha256Hex(e.bytes)
    if (actual !== e.sha256) throw new PackError(`Share pack blob ${e.sha256} hashes to ${actual}`)
    out.set(e.sha256, e.bytes)
  }
  return out
}
