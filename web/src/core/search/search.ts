/// Pure search kernels: fuzzy file matching for quick open and text search across files.

export interface FileMatch {
  path: string
  score: number
  /// Indices in `path` that matched, for highlighting.
  positions: number[]
}

/// Subsequence match, VS Code-style: consecutive characters, matches at word starts and in the file name score
/// higher. Returns the best `limit` paths.
export function quickOpen(paths: readonly string[], query: string, limit = 50): FileMatch[] {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (!q) return paths.slice(0, limit).map((path) => ({ path, score: 0, positions: [] }))
  const out: FileMatch[] = []
  for (const path of paths) {
    const m = match(path, q)
    if (m) out.push(m)
  }
  return out.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path)).slice(0, limit)
}

function match(path: string, q: string): FileMatch | undefined {
  const lower = path.toLowerCase()
  const nameStart = path.lastIndexOf('/') + 1
  const positions: number[] = []
  let score = 0
  let prev = -2
  // Prefer matching inside the file name: try from the name first, fall back to the whole path.
  for (const from of nameStart > 0 ? [nameStart, 0] : [0]) {
    positions.length = 0
    score = 0
    prev = -2
    let i = from
    for (const ch of q) {
      const at = lower.indexOf(ch, i)
      if (at < 0) {
        positions.length = 0
        break
      }
      positions.push(at)
      score += 1
      if (at === prev + 1) score += 5
      if (at === 0 || '/._-'.includes(path[at - 1]!) || (path[at] !== lower[at] && path[at - 1] === lower[at - 1])) score += 3
      if (at >= nameStart) score += 2
      prev = at
      i = at + 1
    }
    if (positions.length === q.length) return { path, score, positions: [...positions] }
  }
  return undefined
}

export interface TextHit {
  path: string
  /// 1-based line and column, as Monaco counts.
  line: number
  column: number
  length: number
  preview: string
}

export interface SearchOptions {
  caseSensitive?: boolean
  wholeWord?: boolean
  regex?: boolean
  /// Stop after this many hits in all.
  limit?: number
}

/// Finds `query` in each file's text. Invalid regular expressions throw a `SyntaxError` with the reason.
export function searchText(files: Iterable<[path: string, text: string]>, query: string, options: SearchOptions = {}): TextHit[] {
  if (!query) return []
  const limit = options.limit ?? 2000
  const source = options.regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(options.wholeWord ? `\\b(?:${source})\\b` : source, options.caseSensitive ? 'g' : 'gi')
  const hits: TextHit[] = []
  for (const [path, text] of files) {
    const lines = text.split('\n')
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l]!
      pattern.lastIndex = 0
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        if (m[0].length === 0) {
          pattern.lastIndex++
          continue
        }
        hits.push({ path, line: l + 1, column: m.index + 1, length: m[0].length, preview: line.trim().slice(0, 200) })
        if (hits.length >= limit) return hits
      }
    }
  }
  return hits
}
