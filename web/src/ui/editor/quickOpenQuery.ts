/// Pure: splits a quick-open query into the file part and an optional `:line` / `:line:column` suffix.
export function parseQuickOpenQuery(query: string): { file: string; line?: number; column?: number } {
  const m = /^(.*?):(\d+)?(?::(\d+))?\s*$/.exec(query)
  if (!m) return { file: query.trim() }
  const file = m[1]!.trim()
  const out: { file: string; line?: number; column?: number } = { file }
  if (m[2]) out.line = Number(m[2])
  if (m[2] && m[3]) out.column = Number(m[3])
  return out
}
