/// Problems (diagnostics) of the project as plain data, and the pure grouping, sorting and filtering the Problems
/// panel and the status bar show. No Monaco here: the editor turns its markers and the TypeScript program's
/// diagnostics into `Problem`s.
import { compareFilePaths } from '../workspace/fileTree.ts'

export type Severity = 'error' | 'warning' | 'info'

export interface Problem {
  /// Project path, e.g. `src/main.ts`.
  readonly path: string
  readonly severity: Severity
  readonly message: string
  /// 1-based, where it starts.
  readonly line: number
  readonly column: number
  /// The checker's code, e.g. `2322` for TypeScript, as text.
  readonly code?: string | undefined
  /// Who reported it: `ts`, `json`, `css`…
  readonly source?: string | undefined
}

export interface ProblemCounts {
  readonly errors: number
  readonly warnings: number
  readonly infos: number
}

export interface ProblemGroup {
  readonly path: string
  readonly problems: readonly Problem[]
  readonly counts: ProblemCounts
}

export interface GroupedProblems {
  readonly groups: readonly ProblemGroup[]
  /// Problems after filtering.
  readonly shown: number
  /// All problems.
  readonly total: number
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export function countProblems(problems: readonly Problem[]): ProblemCounts {
  let errors = 0
  let warnings = 0
  let infos = 0
  for (const p of problems) {
    if (p.severity === 'error') errors++
    else if (p.severity === 'warning') warnings++
    else infos++
  }
  return { errors, warnings, infos }
}

/// Errors first, then warnings, then infos; within a severity by line, column, then message.
export function compareProblems(a: Problem, b: Problem): number {
  return RANK[a.severity] - RANK[b.severity] || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message)
}

/// Whether `problem` matches the filter text: every word must occur (case-insensitive) in its message, path, code
/// (`2322`, `ts2322` or `ts(2322)`) or severity; a word starting with `!` must not occur.
export function matchesFilter(problem: Problem, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return true
  const code = problem.code ? `${problem.source ?? ''}${problem.code} ${problem.source ?? ''}(${problem.code})` : ''
  const haystack = `${problem.message}\n${problem.path}\n${code}\n${problem.severity}`.toLowerCase()
  return words.every((w) => (w.startsWith('!') ? w.length === 1 || !haystack.includes(w.slice(1)) : haystack.includes(w)))
}

/// Problems grouped by file: files with errors before files with only warnings, then by path; each file's problems
/// sorted by `compareProblems`; files with no problem left after filtering are left out.
export function groupProblems(problems: readonly Problem[], filter = ''): GroupedProblems {
  const byPath = new Map<string, Problem[]>()
  let shown = 0
  for (const p of problems) {
    if (!matchesFilter(p, filter)) continue
    shown++
    let list = byPath.get(p.path)
    if (!list) byPath.set(p.path, (list = []))
    list.push(p)
  }
  const groups = [...byPath].map(([path, list]) => ({ path, problems: list.sort(compareProblems), counts: countProblems(list) }))
  groups.sort((a, b) => worst(a) - worst(b) || compareFilePaths(a.path, b.path))
  return { groups, shown, total: problems.length }
}

function worst(group: ProblemGroup): number {
  return RANK[group.problems[0]!.severity]
}

/// "2 errors, 1 warning" — for a file's badge and the status bar's name. "No problems" when there are none.
export function describeCounts(c: ProblemCounts): string {
  const parts: string[] = []
  if (c.errors) parts.push(plural(c.errors, 'error'))
  if (c.warnings) parts.push(plural(c.warnings, 'warning'))
  if (c.infos) parts.push(plural(c.infos, 'info'))
  return parts.length ? parts.join(', ') : 'No problems'
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`
}

/// The 1-based line and column of a character offset in `text` (as Monaco counts: `\r\n` ends a line, columns in
/// UTF-16 code units). An offset past the end is the end.
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, column: end - start + 1 }
}
