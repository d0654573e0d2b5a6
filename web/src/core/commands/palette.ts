import { fuzzyMatch } from '../search/search.ts'

export interface PaletteEntry {
  readonly id: string
  /// What is shown and matched: `Category: Title`.
  readonly label: string
}

export interface RankedEntry<T extends PaletteEntry> {
  readonly entry: T
  /// Indices in `label` that matched the query, for highlighting.
  readonly positions: readonly number[]
  /// Among the recently used (they come first).
  readonly recent: boolean
}

/// The palette's order, VS Code's: recently used first (newest first), then the rest. With a query only entries whose
/// label holds its characters in order (quick open's fuzzy matcher) remain, the rest best match first; without one
/// the rest are alphabetical.
export function rankPalette<T extends PaletteEntry>(entries: readonly T[], query: string, recent: readonly string[]): RankedEntry<T>[] {
  const recency = new Map(recent.map((id, i) => [id, i]))
  const matched: Array<RankedEntry<T> & { score: number }> = []
  for (const entry of entries) {
    const m = fuzzyMatch(entry.label, query)
    if (m) matched.push({ entry, positions: m.positions, score: m.score, recent: recency.has(entry.id) })
  }
  matched.sort((a, b) => {
    if (a.recent !== b.recent) return a.recent ? -1 : 1
    if (a.recent) return recency.get(a.entry.id)! - recency.get(b.entry.id)!
    if (query.trim()) return b.score - a.score || a.entry.label.length - b.entry.label.length || a.entry.label.localeCompare(b.entry.label)
    return a.entry.label.localeCompare(b.entry.label)
  })
  return matched.map(({ entry, positions, recent }) => ({ entry, positions, recent }))
}
