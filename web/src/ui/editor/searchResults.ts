/// Pure: runs a workspace text search (core `searchText`) and shapes the hits for the search panel — grouped by file,
/// each with a one-line preview split around the match.
import { searchText, type SearchOptions, type TextHit } from '../../core/search/search.ts'

export interface HitView {
  path: string
  line: number
  column: number
  length: number
  /// Preview of the line: text before the match (leading space trimmed, long prefixes cut with …), the match, after.
  before: string
  match: string
  after: string
}

export interface FileGroup {
  path: string
  hits: HitView[]
}

export type SearchOutcome =
  | { ok: true; groups: FileGroup[]; total: number; truncated: boolean }
  | { ok: false; error: string }

// Short, so the match stays visible in a narrow sidebar.
const BEFORE_MAX = 24
const BEFORE_CUT = 16
const AFTER_MAX = 160

/// Searches `files` (path, text). Invalid regular expressions come back as `{ok: false, error}`.
export function searchWorkspace(files: Iterable<[path: string, text: string]>, query: string, options: SearchOptions & { limit: number }): SearchOutcome {
  const texts = new Map(files)
  let hits: TextHit[]
  try {
    hits = searchText(texts, query, options)
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  const groups: FileGroup[] = []
  let lines: string[] = []
  for (const hit of hits) {
    let group = groups[groups.length - 1]
    if (group?.path !== hit.path) {
      group = { path: hit.path, hits: [] }
      groups.push(group)
      lines = (texts.get(hit.path) ?? '').split('\n')
    }
    group.hits.push(hitView(hit, lines[hit.line - 1] ?? ''))
  }
  return { ok: true, groups, total: hits.length, truncated: hits.length >= options.limit }
}

export function hitView(hit: TextHit, lineText: string): HitView {
  const line = lineText.replace(/\r$/, '')
  const start = hit.column - 1
  const end = start + hit.length
  const indent = line.length - line.trimStart().length
  let from = Math.min(indent, start)
  let ellipsis = ''
  if (start - from > BEFORE_MAX) {
    from = start - BEFORE_CUT
    ellipsis = '…'
  }
  return {
    path: hit.path,
    line: hit.line,
    column: hit.column,
    length: hit.length,
    before: ellipsis + line.slice(from, start),
    match: line.slice(start, end),
    after: line.slice(end, end + AFTER_MAX),
  }
}

/// "3 results in 2 files", with the singulars right.
export function summary(total: number, files: number, truncated: boolean): string {
  if (total === 0) return 'No results'
  const r = `${truncated ? 'More than ' : ''}${total} result${total === 1 ? '' : 's'}`
  return `${r} in ${files} file${files === 1 ? '' : 's'}`
}
