import type { AiUsage } from '@slipway/shared'
import type { AiBudgetState } from '../../ports.ts'

/// How the daily budget counts a call's tokens. Input and output count one each. Prompt-cache reads count a tenth
/// and cache writes one and a quarter: what they cost next to plain input on every current model (reads are 0.1× the
/// input price, or less; 5-minute writes 1.25×), so a long session that re-reads its cached prefix every round is
/// charged for what it costs, not for the whole prefix again.
export const CACHE_READ_WEIGHT = 0.1
export const CACHE_WRITE_WEIGHT = 1.25

/// Tokens the budget counts for `usage`, rounded up.
export function budgetTokens(usage: AiUsage): number {
  return Math.ceil(
    usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens * CACHE_WRITE_WEIGHT + usage.cache_read_input_tokens * CACHE_READ_WEIGHT,
  )
}

/// Bytes per token the estimates assume: fewer than the ~4 of English prose, because code, JSON and the current
/// tokenizers (Claude 5 counts ~30% more tokens for the same text) spend more. An estimate on the high side only
/// reserves a little more for a moment; it is replaced by the real usage when the call ends.
export const BYTES_PER_TOKEN = 3

export const estimateTokens = (bytes: number): number => Math.ceil(bytes / BYTES_PER_TOKEN)

/// The smallest answer a call is allowed to start with: below this, the rest of the budget is not worth a call.
export const MIN_OUTPUT_TOKENS = 1024

export interface BudgetLimits {
  /// Tokens per user per UTC day.
  daily: number
  /// `max_tokens` cap (SLIPWAY_AI_MAX_TOKENS).
  maxOutput: number
  /// Calls one user may have in flight.
  maxStreams: number
}

export type Admission =
  | { ok: true; maxTokens: number; reserve: number }
  /// `streams`: too many calls in flight. `reserved`: calls in flight hold what is left (it frees when they end).
  /// `spent`: today's budget cannot pay for this call (`needed` tokens at least, `left` remain).
  | { ok: false; reason: 'streams' | 'reserved' | 'spent'; left: number; needed: number }

/// Whether a call that sends about `inputTokens` may start, and with what `max_tokens`: at most the cap, and no more
/// than the budget has left once the input and the calls in flight are paid for. The call reserves its input
/// estimate plus that `max_tokens` until it settles.
export function admit(state: AiBudgetState, inputTokens: number, limits: BudgetLimits): Admission {
  const needed = inputTokens + MIN_OUTPUT_TOKENS
  const left = Math.max(0, limits.daily - state.used)
  if (state.streams >= limits.maxStreams) return { ok: false, reason: 'streams', left, needed }
  const free = left - state.reserved
  if (free < needed) return { ok: false, reason: left < needed ? 'spent' : 'reserved', left, needed }
  const maxTokens = Math.min(limits.maxOutput, free - inputTokens)
  return { ok: true, maxTokens, reserve: inputTokens + maxTokens }
}

/// The UTC day of `t`, as `YYYY-MM-DD`.
export const utcDay = (t: Date): string => t.toISOString().slice(0, 10)

/// The start of the UTC day after `t`: when the budget of `t`'s day resets.
export function nextUtcMidnight(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1))
}
