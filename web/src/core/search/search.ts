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
  const nameStart = path.lastIndexOf('/') + 1
  // Prefer matching inside the file name: try from the name first, fall back to the whole path.
  for (const from of nameStart > 0 ? [nameStart, 0] : [0]) {
    const m = subsequence(path, q, from, nameStart, PATH_WORD_STARTS)
    if (m) return { path, ...m }
  }
  return undefined
}

const PATH_WORD_STARTS = '/._-'
const LABEL_WORD_STARTS = ' :/._-()'

/// Quick open's matcher for a label (a command's "Category: Title"): the query's characters in order, scored the
/// same way (consecutive characters and word starts count more). Undefined when they are not all there.
export function fuzzyMatch(text: string, query: string): { score: number; positions: number[] } | undefined {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (!q) return { score: 0, positions: [] }
  return subsequence(text, q, 0, 0, LABEL_WORD_STARTS)
}

/// Greedy subsequence match of lower-case `q` in `text` from index `from`; characters at or after `nameStart` score
/// more, and so do those after one of `wordStarts` or at a camelCase hump.
function subsequence(text: string, q: string, from: number, nameStart: number, wordStarts: string): { score: number; positions: number[] } | undefined {
  const lower = text.toLowerCase()
  const positions: number[] = []
  let score = 0
  let prev = -2
  let i = from
  for (const ch of q) {
    const at = lower.indexOf(ch, i)
    if (at < 0) return undefined
    positions.push(at)
    score += 1
    if (at === prev + 1) score += 5
    if (at === 0 || wordStarts.includes(text[at - 1]!) || (text[at] !== lower[at] && text[at - 1] === lower[at - 1])) score += 3
    if (at >= nameStart) score += 2
    prev = at
    i = at + 1
  }
  return { score, positions }
}

export interface TextHit {
  path: string
  /// 1-based line and column, as Monaco counts.
  line: number
  column: number
  length: number
  preview: string
  /// Where the match starts in the file's text (UTF-16 index), and the text it matched: a replacement is applied
  /// only where this text still is (see `replace.ts`).
  offset: number
  text: string
  /// What the match becomes, when the search carries a replacement.
  replacement?: string
}

export interface SearchOptions {
  caseSensitive?: boolean
  wholeWord?: boolean
  regex?: boolean
  /// Stop after this many hits in all.
  limit?: number
  /// Only files whose path passes (include/exclude globs).
  filter?: (path: string) => boolean
  /// Computes each hit's `replacement`: literal text, or with `regex` JS `String.replace` patterns ($1, $&, $<name>).
  replace?: string
}

/// The regular expression a query stands for (global flag set). Invalid regular expressions throw a `SyntaxError`.
export function compileQuery(query: string, options: Pick<SearchOptions, 'caseSensitive' | 'wholeWord' | 'regex'> = {}): RegExp {
  const source = options.regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(options.wholeWord ? `\\b(?:${source})\\b` : source, options.caseSensitive ? 'g' : 'gi')
}

/// Finds `query` in each file's text, line by line. Invalid regular expressions throw a `SyntaxError` with the reason.
export function searchText(files: Iterable<[path: string, text: string]>, query: string, options: SearchOptions = {}): TextHit[] {
  if (!query) return []
  const limit = options.limit ?? 2000
  const pattern = compileQuery(query, options)
  const replace = options.replace
  const hits: TextHit[] = []
  for (const [path, text] of files) {
    if (options.filter && !options.filter(path)) continue
    let lineStart = 0
    for (let l = 0; lineStart <= text.length; l++) {
      let lineEnd = text.indexOf('\n', lineStart)
      if (lineEnd < 0) lineEnd = text.length
      const line = text.slice(lineStart, lineEnd)
      pattern.lastIndex = 0
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        if (m[0].length === 0) {
          pattern.lastIndex++
          continue
        }
        const hit: TextHit = { path, line: l + 1, column: m.index + 1, length: m[0].length, preview: line.trim().slice(0, 200), offset: lineStart + m.index, text: m[0] }
        if (replace !== undefined) hit.replacement = options.regex ? expandReplacement(m, line, replace) : replace
        hits.push(hit)
        if (hits.length >= limit) return hits
      }
      lineStart = lineEnd + 1
    }
  }
  return hits
}

/// The text a regex match becomes under `template`, as `String.prototype.replace` computes it (GetSubstitution):
/// `$$`, `$&`, `` $` ``, `$'`, `$1`…`$99`, `$<name>`; anything else stays as typed. Like VS Code, `\n` and `\t` in the
/// template insert a newline and a tab, and `\\` a backslash. `` $` `` and `$'` see the match's line.
export function expandReplacement(match: RegExpExecArray, subject: string, template: string): string {
  const groups = match.length - 1
  let out = ''
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!
    const next = template[i + 1]
    if (ch === '\\' && next !== undefined && (next === 'n' || next === 't' || next === '\\')) {
      out += next === 'n' ? '\n' : next === 't' ? '\t' : '\\'
      i++
      continue
    }
    if (ch !== '$' || next === undefined) {
      out += ch
      continue
    }
    if (next === '$') {
      out += '$'
      i++
    } else if (next === '&') {
      out += match[0]
      i++
    } else if (next === '`') {
      out += subject.slice(0, match.index)
      i++
    } else if (next === "'") {
      out += subject.slice(match.index + match[0].length)
      i++
    } else if (next >= '0' && next <= '9') {
      // Two digits when they name a group, else one; $0 and groups that do not exist stay literal.
      const two = template[i + 2]
      const nn = two !== undefined && two >= '0' && two <= '9' ? Number(next + two) : NaN
      if (nn >= 1 && nn <= groups) {
        out += match[nn] ?? ''
        i += 2
      } else if (Number(next) >= 1 && Number(next) <= groups) {
        out += match[Number(next)] ?? ''
        i++
      } else out += ch
    } else if (next === '<' && match.groups) {
      const close = template.indexOf('>', i + 2)
      if (close < 0) {
        out += ch
        continue
      }
      out += match.groups[template.slice(i + 2, close)] ?? ''
      i = close
    } else out += ch
  }
  return out
}
