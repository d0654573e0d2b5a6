/// The command palette's "recently used": command ids, newest first, kept per browser.

/// How many the palette remembers (VS Code's default).
export const RECENT_LIMIT = 50

/// The stored list if it is one, else empty: a stored value is untrusted (another version wrote it, or a person).
export function parseRecent(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const ids = value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200)
  return [...new Set(ids)].slice(0, RECENT_LIMIT)
}

/// `id` moved to the front.
export function rememberRecent(recent: readonly string[], id: string, limit = RECENT_LIMIT): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, limit)
}
