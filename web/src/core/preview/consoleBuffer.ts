import { PREVIEW_CONSOLE_LIMITS } from '@slipway/shared'
import type { PreviewMessage } from '../runtime/index.ts'

export interface ConsoleBufferLimits {
  /// Messages kept at most.
  readonly count: number
  /// Characters of message and stack kept at most, all messages together.
  readonly chars: number
}

export const CONSOLE_BUFFER_LIMITS: ConsoleBufferLimits = { count: PREVIEW_CONSOLE_LIMITS.kept, chars: PREVIEW_CONSOLE_LIMITS.keptChars }

/// Characters a message holds (what the limit counts).
export function messageChars(m: PreviewMessage): number {
  return m.message.length + (m.stack?.length ?? 0)
}

/// `messages` with `message` appended, dropping the oldest until both limits hold. A new list; the old one is left
/// as it was. One message alone is always kept (messages are capped by the shared schema far below `chars`).
export function appendToConsole(messages: readonly PreviewMessage[], message: PreviewMessage, limits: ConsoleBufferLimits = CONSOLE_BUFFER_LIMITS): PreviewMessage[] {
  let chars = messageChars(message)
  let start = messages.length
  // Walk back from the newest while the next older one still fits.
  while (start > 0 && messages.length - start + 1 < limits.count) {
    const next = chars + messageChars(messages[start - 1]!)
    if (next > limits.chars) break
    chars = next
    start--
  }
  return [...messages.slice(start), message]
}
