import type { PreviewConsoleLevel } from '@slipway/shared'
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
  /// Messages at level `error` (console.error, uncaught exceptions, unhandled rejections).
  readonly errors: number
  readonly warnings: number
  readonly byLevel: Readonly<Record<PreviewConsoleLevel, number>>
}

export function consoleCounts(messages: readonly PreviewMessage[]): ConsoleCounts {
  const byLevel: Record<PreviewConsoleLevel, number> = { error: 0, warn: 0, info: 0, log: 0, debug: 0 }
  for (const m of messages) byLevel[m.level]++
  return { errors: byLevel.error, warnings: byLevel.warn, byLevel }
}

/// The messages whose level is not hidden.
export function visibleMessages(messages: readonly PreviewMessage[], hidden: ReadonlySet<PreviewConsoleLevel>): readonly PreviewMessage[] {
  return hidden.size === 0 ? messages : messages.filter((m) => !hidden.has(m.level))
}

const LEVEL_NOUN: Record<PreviewConsoleLevel, readonly [one: string, many: string]> = {
  error: ['error', 'errors'],
  warn: ['warning', 'warnings'],
  info: ['info', 'info'],
  log: ['log', 'logs'],
  debug: ['debug', 'debug'],
}

/// "1 error", "2 errors", "1 warning", "3 info", "5 logs": a count with its level's noun, with `badge`'s cap.
export function countLabel(count: number, level: PreviewConsoleLevel): string {
  const [one, many] = LEVEL_NOUN[level]
  return `${badge(count)} ${count === 1 ? one : many}`
}

/// What the console toggle says besides "Console": its errors and warnings, e.g. "1 error, 2 warnings", or "".
export function consoleSummary(counts: ConsoleCounts): string {
  const parts = [counts.errors ? countLabel(counts.errors, 'error') : '', counts.warnings ? countLabel(counts.warnings, 'warn') : '']
  return parts.filter(Boolean).join(', ')
}

/// The badge text for a count: `99+` past 99, so it never widens the toolbar.
export function badge(count: number): string {
  return count > 99 ? '99+' : String(count)
}
