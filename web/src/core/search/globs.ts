/// "files to include" / "files to exclude" (VS Code's search semantics), matched by picomatch.
/// - Comma-separated; commas inside `{a,b}` belong to the pattern.
/// - A pattern without a slash matches at any depth: `*.ts` is every .ts file, `src` every folder named src.
/// - A pattern with a slash is relative to the project root (`src/**`, `web/src/*.ts`); `./src` anchors a bare name.
/// - A pattern that names a folder also matches everything under it: `src` means `src/**`.
import picomatch from 'picomatch/posix'

export type PathFilter = (path: string) => boolean

export type GlobFilterResult = { ok: true; filter: PathFilter; active: boolean } | { ok: false; error: string }

/// Upper bound on what a person can type into one field; longer input is an error rather than slow matching.
const MAX_GLOB_INPUT = 4096

/// Splits a comma-separated list of globs, keeping commas inside braces and dropping empty entries.
export function splitGlobs(input: string): string[] {
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of input) {
    if (ch === '{') depth++
    else if (ch === '}') depth = Math.max(0, depth - 1)
    if (ch === ',' && depth === 0) {
      out.push(current)
      current = ''
    } else current += ch
  }
  out.push(current)
  return out.map((p) => p.trim()).filter((p) => p.length > 0)
}

/// The picomatch patterns one typed glob stands for.
export function expandGlob(glob: string): string[] {
  let p = glob.replace(/\\/g, '/')
  let anchored = false
  if (p.startsWith('./')) {
    p = p.slice(2)
    anchored = true
  }
  if (p.startsWith('/')) {
    p = p.replace(/^\/+/, '')
    anchored = true
  }
  p = p.replace(/\/+$/, '')
  if (!p) return []
  const base = anchored || p.includes('/') || p.startsWith('**') ? p : `**/${p}`
  return base.endsWith('/**') ? [base] : [base, `${base}/**`]
}

/// Builds the filter for a search: a path passes if it matches an include glob (or there are none) and no exclude
/// glob. Malformed input is `{ok: false}` with a message for the field.
export function globFilter(include: string, exclude: string): GlobFilterResult {
  if (include.length > MAX_GLOB_INPUT || exclude.length > MAX_GLOB_INPUT) return { ok: false, error: `Patterns are limited to ${MAX_GLOB_INPUT} characters` }
  const inc = splitGlobs(include).flatMap(expandGlob)
  const exc = splitGlobs(exclude).flatMap(expandGlob)
  let isIncluded: PathFilter | undefined
  let isExcluded: PathFilter | undefined
  try {
    if (inc.length) isIncluded = picomatch(inc, { dot: true })
    if (exc.length) isExcluded = picomatch(exc, { dot: true })
  } catch (err) {
    return { ok: false, error: `Invalid pattern: ${err instanceof Error ? err.message : String(err)}` }
  }
  const filter: PathFilter = (path) => (!isIncluded || isIncluded(path)) && !isExcluded?.(path)
  return { ok: true, filter, active: Boolean(isIncluded || isExcluded) }
}
