/// What the reducer's `detail` adds for people, or undefined when it adds nothing: npm redraws a spinner (⠙ ⠹ …)
/// on lines of its own, and the placeholders ("Installing dependencies…") only repeat the step's name.
export function runDetail(detail: string | undefined): string | undefined {
  const text = detail?.trim()
  if (!text || !/[\p{L}\p{N}]/u.test(text) || PLACEHOLDERS.has(text)) return undefined
  return text
}

const PLACEHOLDERS = new Set(['Starting the runtime…', 'Installing dependencies…', 'Starting…'])
