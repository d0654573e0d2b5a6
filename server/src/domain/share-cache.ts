import { encodePackEntries, encodePackHeader } from '@slipway/shared'
import { LRUCache } from 'lru-cache'

export interface ShareCacheOptions {
  /// Bytes every cached value together may take (least recently used go first), and bytes one value may take (a
  /// larger one is built for its request and not kept).
  maxBytes: number
  maxEntryBytes: number
}

export const DEFAULT_SHARE_CACHE: ShareCacheOptions = { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 }

/// What a cached value costs beyond its own bytes (key, entry, bookkeeping): small values count at least this.
const ENTRY_OVERHEAD = 256

/// Values built from immutable share versions (decoded manifests, manifest responses, packs), by key, in one LRU
/// bounded by bytes in total and per value. Callers name the version in the key (`<kind>:<link pk>:<n>…`): a version
/// never changes, so an entry is never stale; whether the link may still be read is the caller's check, made before
/// every use. Concurrent misses of one key share one build.
export class ShareCache {
  private readonly lru: LRUCache<string, { value: unknown; bytes: number }>
  /// Builds running now, by key (as many as requests in flight).
  private readonly building = new Map<string, Promise<unknown>>()

  constructor(readonly options: ShareCacheOptions) {
    if (!(options.maxEntryBytes > 0 && options.maxEntryBytes <= options.maxBytes)) {
      throw new RangeError(`Share cache: maxEntryBytes must be in (0, maxBytes] (got ${options.maxEntryBytes} of ${options.maxBytes})`)
    }
    this.lru = new LRUCache({
      maxSize: options.maxBytes,
      maxEntrySize: options.maxEntryBytes,
      sizeCalculation: (e) => e.bytes + ENTRY_OVERHEAD,
    })
  }

  /// The value of `key`, built by `build` (which says how many bytes it takes) when it is not cached.
  async get<T>(key: string, build: () => Promise<{ value: T; bytes: number }>): Promise<T> {
    const hit = this.lru.get(key)
    if (hit) return hit.value as T
    const running = this.building.get(key)
    if (running) return running as Promise<T>
    const made = build().then(
      (built) => {
        this.building.delete(key)
        this.lru.set(key, { value: built.value, bytes: built.bytes })
        return built.value
      },
      (err: unknown) => {
        this.building.delete(key)
        throw err
      },
    )
    this.building.set(key, made)
    return made
  }

  has(key: string): boolean {
    return this.lru.has(key)
  }

  /// Entries and bytes held now (each value's bytes plus its overhead).
  get stats() {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize }
  }
}

/// A pack streamed from `blobs` (unique, in pack order, with their sizes), reading them with `read` a batch of at
/// most `batchBytes` (or one blob) at a time as the response is consumed: the server holds one batch per request, not
/// the whole pack. A blob that is missing or not of its size ends the stream with an error (the client sees a
/// truncated pack and retries, and a revoked link then answers 410).
export function packStream(
  blobs: ReadonlyArray<{ sha256: string; size: number }>,
  read: (sha256s: string[]) => Promise<Map<string, Uint8Array>>,
  batchBytes = 4 * 1024 * 1024,
): ReadableStream<Uint8Array> {
  let next = -1
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next === -1) {
          next = 0
          controller.enqueue(encodePackHeader(blobs.length))
          return
        }
        if (next >= blobs.length) {
          controller.close()
          return
        }
        const batch: string[] = []
        let bytes = 0
        while (next < blobs.length && (batch.length === 0 || bytes + blobs[next]!.size <= batchBytes) && batch.length < 1000) {
          bytes += blobs[next]!.size
          batch.push(blobs[next++]!.sha256)
        }
        const found = await read(batch)
        const entries = batch.map((sha256, i) => {
          const bytes = found.get(sha256)
          const size = blobs[next - batch.length + i]!.size
          if (!bytes || bytes.length !== size) throw new Error(`Share blob ${sha256} (${size} bytes) is listed by a version but not stored as such`)
          return { sha256, bytes }
        })
        controller.enqueue(encodePackEntries(entries))
      },
    },
    { highWaterMark: 0 },
  )
}
