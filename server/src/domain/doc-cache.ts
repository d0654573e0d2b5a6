import type * as Y from 'yjs'

/// Heap one Yjs struct (an item with its content object) takes, past the bytes of its content. Measured (node 20,
/// yjs 13.6): one file with 20,000 separate one-character inserts, 11.3 MB of heap for 0.67 MB encoded (~560 B per
/// item); 1,000 files of 10 KB, 10.7 MB of heap for 10.0 MB encoded (strings cost about their encoding).
const BYTES_PER_STRUCT = 600

/// Docs one server process keeps built between requests.
export const DEFAULT_DOC_CACHE_BYTES = 512 * 1024 * 1024

/// The heap a built doc is charged: its encoded bytes plus a fixed cost per struct (the store lists them all).
export function docMemory(doc: Y.Doc, encodedBytes: number): number {
  let structs = 0
  for (const list of doc.store.clients.values()) structs += list.length
  return encodedBytes + structs * BYTES_PER_STRUCT
}

/// The files view's sizes as of an entry's seq (path → bytes, and their sum): what a push checks the project's limits
/// against without asking the database.
export interface ViewSizes {
  sizes: Map<string, number>
  bytes: number
  /// Files known to be all ASCII text (`measureFile`): an edit's `asciiDelta` gives their new size.
  ascii: Set<string>
}

interface Entry {
  doc: Y.Doc
  seq: number
  /// What the doc is taken to cost in memory (`docMemory`).
  bytes: number
  /// Travels with the doc: changed only with it, and dropped with it.
  view?: ViewSizes
}

/// Recently used project docs by project id, each with the sequence number it reflects. A doc is taken out while a
/// sync changes it (`take`) and put back after commit (`put`), so a cached doc is never mid-change and never holds
/// uncommitted state. Each server process has its own; the database stays the source of truth.
///
/// Bounded by count and by bytes: each doc is charged `docMemory`, and the least recently put go
/// first. A doc that alone would take more than the whole budget is not kept.
export class DocCache {
  private readonly entries = new Map<string, Entry>()
  private total = 0

  constructor(
    private readonly maxEntries = 64,
    private readonly maxBytes = DEFAULT_DOC_CACHE_BYTES,
  ) {}

  /// Bytes the cached docs are charged, together.
  get bytes(): number {
    return this.total
  }

  /// The cached doc if it reflects exactly `seq`, without removing it.
  peek(projectId: string, seq: number): Y.Doc | undefined {
    const e = this.entries.get(projectId)
    return e && e.seq === seq ? e.doc : undefined
  }

  /// Removes and returns the entry, for exclusive use.
  take(projectId: string): Entry | undefined {
    const e = this.entries.get(projectId)
    if (e) this.remove(projectId, e)
    return e
  }

  /// Keeps `doc` as the project's doc at `seq`. `encodedBytes`: the size of the doc's updates as stored (the log's
  /// bytes), from which its memory is estimated.
  put(projectId: string, doc: Y.Doc, seq: number, encodedBytes: number, view?: ViewSizes): void {
    const current = this.entries.get(projectId)
    if (current && current.seq >= seq) return
    if (current) {
      this.remove(projectId, current)
      if (current.doc !== doc) current.doc.destroy()
    }
    const bytes = docMemory(doc, encodedBytes)
    // Too big to keep at all: the caller still holds it, and the garbage collector takes it after.
    if (bytes > this.maxBytes) return
    this.entries.set(projectId, view ? { doc, seq, bytes, view } : { doc, seq, bytes })
    this.total += bytes
    while (this.entries.size > this.maxEntries || this.total > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string
      const e = this.entries.get(oldest)!
      this.remove(oldest, e)
      e.doc.destroy()
    }
  }

  drop(projectId: string): void {
    const e = this.entries.get(projectId)
    if (!e) return
    this.remove(projectId, e)
    e.doc.destroy()
  }

  private remove(projectId: string, e: Entry): void {
    this.entries.delete(projectId)
    this.total -= e.bytes
  }
}
