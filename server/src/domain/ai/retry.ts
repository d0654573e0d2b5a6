import type { LlmError } from '../../ports.ts'

/// Retries of a model call that failed before anything was streamed to the browser. Only an overloaded (529) or
/// rate-limited (429) answer is retried: both say "try again shortly", and nothing has been billed or shown yet. Once
/// a byte has gone to the browser nothing is retried (the person would see the answer start twice).
export interface RetryPolicy {
  /// Calls in all, the first included.
  attempts: number
  /// The pause before the first retry; each later one doubles, up to `maxDelayMs`, with ±25% jitter.
  baseDelayMs: number
  maxDelayMs: number
  /// An upstream `retry-after` longer than this is not waited for: the call fails at once, naming the wait.
  maxRetryAfterMs: number
}

/// At most 4 calls over about 0.5 + 1 + 2 s of pauses: a person waits a few seconds at worst, with the request
/// pending in their panel, before hearing that Claude is overloaded.
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 4_000, maxRetryAfterMs: 10_000 }

export const isRetryable = (err: LlmError): boolean => err.failure === 'overloaded' || err.failure === 'rate_limited'

/// The pause before call `attempt + 1` after call `attempt` (1-based) failed with `err`, or `undefined` to give up.
/// An upstream `retry-after` is honoured when it is within `maxRetryAfterMs`.
export function retryDelay(policy: RetryPolicy, attempt: number, err: LlmError, random: () => number = Math.random): number | undefined {
  if (!isRetryable(err) || attempt >= policy.attempts) return undefined
  const after = err.info.retryAfterMs
  if (after !== undefined) return after <= policy.maxRetryAfterMs ? after : undefined
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(base * (0.75 + random() * 0.5))
}
