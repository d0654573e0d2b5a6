import type { PreviewMessage } from '../../core/runtime/index.ts'

/// One row of the preview console: a message, and how many identical ones arrived in a row.
export interface ConsoleEntry {
  /// Stable across renders while the console only grows (index of the first message of the run).
  readonly key: number
  readonly message: PreviewMessage
  readonly count: number
  /// What the row shows first: `Uncaught …` / `Unhandled rejection: …` for errors nobody caught.
  readonly text: string
  /// The stack without the line that repeats the message, or undefined when nothing is left.
  readonly stack: string | undefined
}

const same = (a: PreviewMessage, b: PreviewMessage) =>
  a.level === b.level && a.kind === b.kind && a.message === b.message && a.stack === b.stack && a.port === b.port

/// Collapses runs of identical messages (an error thrown in a render loop) into one row with a count, as browser
/// consoles do.
export function groupConsole(messages: readonly PreviewMessage[]): ConsoleEntry[] {
  const out: ConsoleEntry[] = []
  messages.forEach((message, index) => {
    const last = out[out.length - 1]
    if (last && same(last.message, message)) out[out.length - 1] = { ...last, count: last.count + 1 }
    else out.push({ key: index, message, count: 1, text: messageText(message), stack: stackBody(message) })
  })
  return out
}

export function messageText(m: PreviewMessage): string {
  switch (m.kind) {
    case 'uncaught-exception':
      return `Uncaught ${m.message}`
    case 'unhandled-rejection':
      return `Unhandled rejection: ${m.message}`
    case 'console':
      return m.message
  }
}

/// V8 stacks start with `Name: message`; the row already shows it, so only the frames remain.
export function stackBody(m: PreviewMessage): string | undefined {
  if (!m.stack) return undefined
  const lines = m.stack.replace(/\r/g, '').split('\n')
  const first = lines[0]?.trim() ?? ''
  const body = first && !/^\s*at\s/.test(first) && (m.message.includes(first) || first.includes(m.message)) ? lines.slice(1) : lines
  const text = body.join('\n').trimEnd()
  return text.trim() ? text : undefined
}

export interface ConsoleCounts {
  readonly errors: number
  readonly warnings: number
}

export function consoleCounts(messages: readonly PreviewMessage[]): ConsoleCounts {
  let errors = 0
  let warnings = 0
  for (const m of messages) {
    if (m.level === 'error') errors++
    else if (m.level === 'warn') warnings++
  }
  return { errors, warnings }
}

/// The badge text for a count: `99+` past 99, so it never widens the toolbar.
export function badge(count: number): string {
  return count > 99 ? '99+' : String(count)
}
