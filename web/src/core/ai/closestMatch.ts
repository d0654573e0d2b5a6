/// Where a text that was not found in a file most likely is: the run of lines most similar to it, line by line, so
/// an edit whose old text is slightly off (indentation, a changed identifier, a stale copy) gets an error that shows
/// the model what the file really holds there. Old text may start or end inside a line (it is an exact substring,
/// not whole lines), so its first and last lines are also scored against the best same-length window of the file's
/// line: a typo inside a long line, or a fragment of one, is found too. A pure kernel.
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
/// Partial-line scoring: needle lines shorter than this are not looked for inside longer lines (a short fragment is
/// "similar" to too much); a window below `MIN_PARTIAL_SIMILARITY` does not count; lines are searched up to
/// `WIDE_CHARS` characters in.
const MIN_PARTIAL_CHARS = 10
const MIN_PARTIAL_SIMILARITY = 0.7
const WIDE_CHARS = 1_000
/// The most window comparisons (each of at most `LINE_CHARS` characters) partial-line scoring may make for one
/// search; past it, the rest of the file is scored by whole lines only.
export const PARTIAL_WINDOW_BUDGET = 50_000

export interface ClosestMatchOptions {
  /// Overrides `PARTIAL_WINDOW_BUDGET`.
  partialBudget?: number
  /// Filled in with the window comparisons partial-line scoring made.
  stats?: { windows: number }
}

/// The region of `text` most like `needle` (which does not occur in it exactly), or undefined when nothing is
/// similar enough.
export function closestMatch(text: string, needle: string, options: ClosestMatchOptions = {}): ClosestMatch | undefined {
  const lines = text.split('\n')
  const wanted = trimFinalNewline(needle).split('\n')
  const n = Math.min(wanted.length, lines.length)
  if (n === 0) return undefined
  const wide = lines.map((l) => normalize(l).slice(0, WIDE_CHARS))
  const fileNorm = wide.map((l) => l.slice(0, LINE_CHARS))
  const wantedNorm = wanted.map((l) => normalize(l).slice(0, LINE_CHARS))

  if (wanted.length <= lines.length) {
    for (let start = 0; start + n <= lines.length; start++) {
      let same = true
      for (let i = 0; i < n && same; i++) same = fileNorm[start + i] === wantedNorm[i]
      if (same && wantedNorm.some((l) => l)) return { startLine: start + 1, endLine: start + n, similarity: 1, whitespaceOnly: true }
    }
  }

  const partial = new PartialScorer(options.partialBudget ?? PARTIAL_WINDOW_BUDGET)
  // Only the needle's first and last lines can be parts of a file line; a line in between is a whole one.
  const edge = (k: number) => k === 0 || k === wanted.length - 1
  const lineScore = (k: number, at: number) => {
    const whole = similarity(wantedNorm[k]!, fileNorm[at]!)
    return whole < 1 && edge(k) ? Math.max(whole, partial.score(wantedNorm[k]!, wide[at]!)) : whole
  }

  const step = Math.max(1, n / SCORED_LINES)
  const sampled: number[] = []
  for (let i = 0; i < n; i += step) sampled.push(Math.floor(i))
  let best = { start: -1, score: -1 }
  for (let start = 0; start + n <= lines.length; start++) {
    let sum = 0
    let k = 0
    // A window that cannot beat the best so far even if its remaining lines matched exactly is dropped early.
    for (; k < sampled.length && sum + sampled.length - k > best.score * sampled.length; k++) sum += lineScore(sampled[k]!, start + sampled[k]!)
    const score = sum / sampled.length
    if (k === sampled.length && score > best.score) best = { start, score }
  }
  if (options.stats) options.stats.windows = partial.windows
  if (best.start < 0 || best.score < MIN_SIMILARITY) return undefined
  return { startLine: best.start + 1, endLine: best.start + n, similarity: best.score, whitespaceOnly: false }
}

const normalize = (l: string) => l.trim().replace(/\s+/g, ' ')

function similarity(a: string, b: string): number {
  if (a === b) return 1
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - distance(a, b) / longest
}

/// The similarity of a needle line to the best window of the same length inside a longer file line, within a budget
/// of window comparisons shared by one search. Coarse steps of 1/8 of the needle's length first (a window off by
/// half a step costs at most 1/8 of the similarity), then every position around the best of them if it could reach
/// `MIN_PARTIAL_SIMILARITY`. A line hardly longer than the needle is left to the whole-line score. Once a line would
/// overrun the budget, it and all later ones score 0.
class PartialScorer {
  windows = 0
  private exhausted = false

  constructor(private readonly budget: number) {}

  private spend(n: number): boolean {
    if (this.exhausted || this.windows + n > this.budget) {
      this.exhausted = true
      return false
    }
    this.windows += n
    return true
  }

  score(needle: string, line: string): number {
    const len = needle.length
    const last = line.length - len
    if (len < MIN_PARTIAL_CHARS || last <= len / 4 || this.exhausted) return 0
    const step = Math.max(1, Math.floor(len / 8))
    let best = 0
    let at = 0
    const tryAt = (i: number) => {
      const s = similarity(needle, line.slice(i, i + len))
      if (s > best) [best, at] = [s, i]
    }
    const coarse: number[] = []
    for (let i = 0; i < last; i += step) coarse.push(i)
    coarse.push(last)
    if (!this.spend(coarse.length)) return 0
    coarse.forEach(tryAt)
    if (best < MIN_PARTIAL_SIMILARITY - 0.2) return 0
    const from = Math.max(0, at - step + 1)
    const to = Math.min(last, at + step - 1)
    if (to > from && this.spend(to - from + 1)) for (let i = from; i <= to; i++) tryAt(i)
    return best >= MIN_PARTIAL_SIMILARITY ? best : 0
  }
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
