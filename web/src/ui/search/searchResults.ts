/// Pure: runs a workspace text search (core `searchText`) and shapes the hits for the search panel — grouped by file,
/// each with a one-line preview split around the match (and, with a replacement, what the match becomes).
import { isIgnoredPath } from '@slipway/shared'
import { searchText, type SearchOptions, type TextHit } from '../../core/search/search.ts'
import { compareFilePaths } from '../../core/workspace/fileTree.ts'

/// Files search looks into: never a never-synced folder (node_modules, .git, build output), never a text that looks
/// binary (a NUL in its first 8 KB, as git and VS Code judge).
export function isSearchable(path: string, text: string): boolean {
  return !isIgnoredPath(path) && !text.slice(0, 8192).includes('\0')
}

export interface HitView {
  path: string
  line: number
  column: number
  length: number
  /// Preview of the line: text before the match (leading space trimmed, long prefixes cut with …), the match, after.
  before: string
  match: string
  after: string
  /// Where the match is in the file, what it matched and what it becomes (see core `replace.ts`).
  offset: number
  text: string
  replacement?: string
}

export interface FileGroup {
  path: string
  hits: HitView[]
}

export type SearchOutcome =
  /// `texts`: each searched file's text as the search saw it, to tell later whether a file changed since.
  | { ok: true; groups: FileGroup[]; total: number; truncated: boolean; texts: ReadonlyMap<string, string> }
  | { ok: false; error: string }

// Short, so the match stays visible in a narrow sidebar; shorter still when the row also shows the replacement.
const BEFORE_MAX = 24
const BEFORE_CUT = 16
const BEFORE_MAX_REPLACING = 12
const BEFORE_CUT_REPLACING = 8
const AFTER_MAX = 160

/// Searches `files` (path, text), in the file tree's order. Invalid regular expressions come back as `{ok: false, error}`.
export function searchWorkspace(files: Iterable<[path: string, text: string]>, query: string, options: SearchOptions & { limit: number }): SearchOutcome {
  const texts = new Map([...files].sort((a, b) => compareFilePaths(a[0], b[0])))
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
  return { ok: true, groups, total: hits.length, truncated: hits.length >= options.limit, texts }
}

export function hitView(hit: TextHit, lineText: string): HitView {
  const line = lineText.replace(/\r$/, '')
  const start = hit.column - 1
  const end = start + hit.length
  const indent = line.length - line.trimStart().length
  let from = Math.min(indent, start)
  let ellipsis = ''
  const replacing = hit.replacement !== undefined
  if (start - from > (replacing ? BEFORE_MAX_REPLACING : BEFORE_MAX)) {
    from = start - (replacing ? BEFORE_CUT_REPLACING : BEFORE_CUT)
    ellipsis = '…'
  }
  const view: HitView = {
    path: hit.path,
    line: hit.line,
    column: hit.column,
    length: hit.length,
    before: ellipsis + line.slice(from, start),
    match: line.slice(start, end),
    after: line.slice(end, end + AFTER_MAX),
    offset: hit.offset,
    text: hit.text,
  }
  if (hit.replacement !== undefined) view.replacement = hit.replacement
  return view
}

/// A replacement as one preview line: line breaks and tabs it inserts are shown as ↵ and →.
export function replacementPreview(text: string): string {
  return text.replace(/\r?\n/g, '↵').replace(/\t/g, '→')
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/// The Replace All confirmation: "Replace 12 occurrences across 4 files with 'x'?"
export function replaceAllQuestion(total: number, files: number, replacement: string): string {
  const shown = replacement.length > 40 ? `${replacementPreview(replacement.slice(0, 40))}…` : replacementPreview(replacement)
  const across = `${plural(total, 'occurrence')} across ${plural(files, 'file')}`
  return replacement ? `Replace ${across} with '${shown}'?` : `Replace ${across} with nothing?`
}

/// What a replace did, for the panel's status line.
export function replaceReport(r: { replaced: number; files: number; stale: number; staleFiles: readonly string[] }): string {
  const parts: string[] = []
  if (r.replaced) parts.push(`Replaced ${plural(r.replaced, 'occurrence')} in ${plural(r.files, 'file')}.`)
  if (r.stale) {
    const where = r.staleFiles.length === 1 ? r.staleFiles[0] : plural(r.staleFiles.length, 'file')
    parts.push(`${plural(r.stale, 'match', 'matches')} in ${where} changed since the search and ${r.stale === 1 ? 'was' : 'were'} left as ${r.stale === 1 ? 'it is' : 'they are'}; the results are up to date now.`)
  }
  return parts.join(' ') || 'Nothing to replace.'
}

/// "3 results in 2 files", with the singulars right; past the limit it says the search stopped.
export function summary(total: number, files: number, truncated: boolean): string {
  if (total === 0) return 'No results'
  const r = `${plural(total, 'result')} in ${plural(files, 'file')}`
  return truncated ? `Stopped at ${r}; narrow the search to see the rest` : r
}
