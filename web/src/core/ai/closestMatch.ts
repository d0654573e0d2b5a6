/// Where a text that was not found in a file most likely is: the run of lines most similar to it, line by line, so
/// an edit whose old text is slightly off (indentation, a changed identifier, a stale copy) gets an error that shows
/// the model what the file really holds there. A pure kernel.
import { distance } from 'fastest-levenshtein'

export interface ClosestMatch {
  /// 1-based, inclusive.
  startLine: number
  endLine: number
  /// 0..1: the mean similarity of the lines (1 - edit distance / length).
  similarity: number
  /// The region matches when leading and trailing whitespace of each line is ignored.
  whitespaceOnly: boolean
}

/// Below this mean similarity a region is not worth showing.
const MIN_SIMILARITY = 0.4
/// Lines of the needle scored per window at most (evenly spread), and characters of a line compared: bounds the work
/// to ~(file lines × 24) distance computations of ≤ 200 characters.
const SCORED_LINES = 24
const LINE_CHARS = 200

/// The region of `text` most like `needle` (which does not occur in it exactly), or undefined when nothing is
/// similar enough.
export function closestMatch(text: string, needle: string): ClosestMatch | undefined {
  const lines = text.split('\n')
  const wanted = trimFinalNewline(needle).split('\n')
  const n = Math.min(wanted.length, lines.length)
  if (n === 0) return undefined
  const norm = (l: string) => l.trim().replace(/\s+/g, ' ').slice(0, LINE_CHARS)
  const fileNorm = lines.map(norm)
  const wantedNorm = wanted.map(norm)

  if (wanted.length <= lines.length) {
    for (let start = 0; start + n <= lines.length; start++) {
      let same = true
      for (let i = 0; i < n && same; i++) same = fileNorm[start + i] === wantedNorm[i]
      if (same && wantedNorm.some((l) => l)) return { startLine: start + 1, endLine: start + n, similarity: 1, whitespaceOnly: true }
    }
  }

  const step = Math.max(1, n / SCORED_LINES)
  const sampled: number[] = []
  for (let i = 0; i < n; i += step) sampled.push(Math.floor(i))
  let best = { start: -1, score: -1 }
  for (let start = 0; start + n <= lines.length; start++) {
    let sum = 0
    let k = 0
    // A window that cannot beat the best so far even if its remaining lines matched exactly is dropped early.
    for (; k < sampled.length && sum + sampled.length - k > best.score * sampled.length; k++) sum += similarity(wantedNorm[sampled[k]!]!, fileNorm[start + sampled[k]!]!)
    const score = sum / sampled.length
    if (k === sampled.length && score > best.score) best = { start, score }
  }
  if (best.start < 0 || best.score < MIN_SIMILARITY) return undefined
  return { startLine: best.start + 1, endLine: best.start + n, similarity: best.score, whitespaceOnly: false }
}

function similarity(a: string, b: string): number {
  if (a === b) return 1
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - distance(a, b) / longest
}

const trimFinalNewline = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s)

/// Every place `needle` occurs in `text`, overlapping ones included ("aa" occurs twice in "aaa"): an edit's old text
/// must occur exactly once.
export function occurrences(text: string, needle: string, max = 2): number[] {
  const found: number[] = []
  for (let at = text.indexOf(needle); at >= 0 && found.length < max; at = text.indexOf(needle, at + 1)) found.push(at)
  return found
}

/// The 1-based line `offset` falls on.
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}
