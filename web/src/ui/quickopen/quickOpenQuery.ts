/// Pure: what a quick-open (Ctrl+P) query asks for, as VS Code reads it.
/// - `name`, `name:12`, `name:12:5`: a file, optionally at a line (and column).
/// - `:12`, `:12:5` (or `:12,5`): a line of the active file; `:` alone asks for a line not typed yet.
/// - `@name`: a symbol of the active file; `@` alone lists them all.
export type QuickOpenQuery =
  | { kind: 'file'; file: string; line?: number; column?: number }
  | { kind: 'line'; line?: number; column?: number }
  | { kind: 'symbol'; symbol: string }

export function parseQuickOpenQuery(query: string): QuickOpenQuery {
  const text = query.trim()
  if (text.startsWith('@')) return { kind: 'symbol', symbol: text.slice(1).trim() }
  if (text.startsWith(':')) {
    const m = /^:\s*(\d+)?(?:\s*[:,]\s*(\d*))?$/.exec(text)
    return { kind: 'line', ...position(m?.[1], m?.[2]) }
  }
  const m = /^(.*?):(\d+)?(?::(\d+))?$/.exec(text)
  if (!m) return { kind: 'file', file: text }
  return { kind: 'file', file: m[1]!.trim(), ...position(m[2], m[3]) }
}

/// 1-based line and column from their digits; 0 counts as not given.
function position(line: string | undefined, column: string | undefined): { line?: number; column?: number } {
  const l = Number(line)
  if (!line || !(l > 0)) return {}
  const c = Number(column)
  return column && c > 0 ? { line: l, column: c } : { line: l }
}
