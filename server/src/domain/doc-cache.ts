import type * as Y from 'yjs'

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
  /// Travels with the doc: changed only with it, and dropped with it.
  view?: ViewSizes
}

/// Recently used project docs by project id, each with the sequence number it reflects. A doc is taken out while a
/// sync changes it (`take`) and put back after commit (`put`), so a cached doc is never mid-change and never holds
/// uncommitted state. Each server process has its own; the database stays the source of truth.
export class DocCache {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly maxEntries = 64) {}

  /// The cached doc if it reflects exactly `seq`, without removing it.
  peek(projectId: string, seq: number): Y.Doc | undefined {
    const e = this.entries.get(projectId)
    return e && e.seq === seq ? e.doc : undefined
  }

  /// Removes and returns the entry, for exclusive use.
  take(projectId: string): Entry | undefined {
    const e = this.entries.get(projectId)
    this.entries.delete(projectId)
    return e
  }

  put(projectId: string, doc: Y.Doc, seq: number, view?: ViewSizes): void {
    const current = this.entries.get(projectId)
    if (current && current.seq >= seq) return
    this.entries.delete(projectId)
    this.entries.set(projectId, view ? { doc, seq, view } : { doc, seq })
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.get(oldest)?.doc.destroy()
      this.entries.delete(oldest)
    }
  }

  drop(projectId: string): void {
    this.entries.get(projectId)?.doc.destroy()
    this.entries.delete(projectId)
  }
}
