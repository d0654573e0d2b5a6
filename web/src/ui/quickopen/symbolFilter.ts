/// Pure: the symbols of a file that match a typed `@query`, best first, with the matched characters of each name.
import type { DocumentSymbolItem } from '../../core/editor/EditorController.ts'

export interface SymbolMatch {
  symbol: DocumentSymbolItem
  /// Indices in `symbol.name` that matched, for highlighting.
  positions: number[]
}

/// Subsequence match on the name, ignoring case and spaces: consecutive characters and word starts (camelCase humps,
/// after `_`, `$`, `.`, `-`) score higher. Nothing typed: every symbol, in document order. Ties keep document order.
export function filterSymbols(symbols: readonly DocumentSymbolItem[], query: string, limit = 200): SymbolMatch[] {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (!q) return symbols.slice(0, limit).map((symbol) => ({ symbol, positions: [] }))
  const scored: Array<SymbolMatch & { score: number; order: number }> = []
  symbols.forEach((symbol, order) => {
    const m = match(symbol.name, q)
    if (m) scored.push({ symbol, positions: m.positions, score: m.score, order })
  })
  scored.sort((a, b) => b.score - a.score || a.order - b.order)
  return scored.slice(0, limit).map(({ symbol, positions }) => ({ symbol, positions }))
}

function match(name: string, q: string): { score: number; positions: number[] } | undefined {
  const lower = name.toLowerCase()
  const positions: number[] = []
  let score = 0
  let prev = -2
  let from = 0
  for (const ch of q) {
    // Prefer the next word start holding `ch` over an earlier character mid-word, unless it continues a run.
    let at = lower.indexOf(ch, from)
    if (at < 0) return undefined
    if (at !== prev + 1) {
      for (let i = at; i < name.length; i++) {
        if (lower[i] === ch && wordStart(name, i)) {
          at = i
          break
        }
      }
    }
    positions.push(at)
    score += 1
    if (at === prev + 1) score += 5
    if (wordStart(name, at)) score += 3
    if (at === 0) score += 2
    prev = at
    from = at + 1
  }
  if (q.length === name.length) score += 4
  return { score, positions }
}

function wordStart(name: string, i: number): boolean {
  if (i === 0) return true
  const c = name[i]!
  const before = name[i - 1]!
  return '_$.-'.includes(before) || (c !== c.toLowerCase() && before === before.toLowerCase())
}
