import { describe, expect, test } from 'vitest'
import { LlmError } from '../../ports.ts'
import { MIN_OUTPUT_TOKENS, admit, budgetTokens, nextUtcMidnight, utcDay } from './budget.ts'
import { DEFAULT_RETRY, retryDelay } from './retry.ts'

const limits = { daily: 100_000, maxOutput: 8192, maxStreams: 2 }

describe('budget', () => {
  test('cache reads count a tenth, cache writes 1.25, rounded up', () => {
    expect(budgetTokens({ input_tokens: 1000, output_tokens: 500, cache_read_input_tokens: 50_000, cache_creation_input_tokens: 2000 })).toBe(1000 + 500 + 5000 + 2500)
    expect(budgetTokens({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 1, cache_creation_input_tokens: 0 })).toBe(1)
  })

  test.each([
    ['a fresh day: the cap', { used: 0, reserved: 0, streams: 0 }, 3000, { ok: true, maxTokens: 8192, reserve: 11_192 }],
    ['little left: what is left after the input', { used: 90_000, reserved: 0, streams: 0 }, 3000, { ok: true, maxTokens: 7000, reserve: 10_000 }],
    ['a call in flight holds part of it', { used: 80_000, reserved: 11_192, streams: 1 }, 3000, { ok: true, maxTokens: 5808, reserve: 8808 }],
    ['two in flight', { used: 0, reserved: 20_000, streams: 2 }, 3000, { ok: false, reason: 'streams' }],
    ['the rest is reserved', { used: 90_000, reserved: 8000, streams: 1 }, 3000, { ok: false, reason: 'reserved' }],
    ['spent', { used: 99_500, reserved: 0, streams: 0 }, 100, { ok: false, reason: 'spent', left: 500, needed: 100 + MIN_OUTPUT_TOKENS }],
    ['this conversation is too long for what is left', { used: 50_000, reserved: 0, streams: 0 }, 60_000, { ok: false, reason: 'spent', left: 50_000 }],
  ])('%s', (_what, state, input, expected) => {
    expect(admit(state, input, limits)).toMatchObject(expected)
  })

  test('days are UTC', () => {
    expect(utcDay(new Date('2026-03-10T23:59:59.999Z'))).toBe('2026-03-10')
    expect(nextUtcMidnight(new Date('2026-12-31T12:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z')
  })
})

describe('retry policy', () => {
  const overloaded = new LlmError('overloaded', 'x', { status: 529 })
  test('529 and 429 are retried with growing pauses, at most `attempts` calls in all', () => {
    const mid = () => 0.5
    expect([1, 2, 3, 4].map((n) => retryDelay(DEFAULT_RETRY, n, overloaded, mid))).toEqual([500, 1000, 2000, undefined])
    expect(retryDelay(DEFAULT_RETRY, 1, overloaded, () => 0)).toBe(375)
    expect(retryDelay(DEFAULT_RETRY, 1, overloaded, () => 0.999)).toBe(625)
  })
  test('a retry-after is honoured when short enough, else the call gives up at once', () => {
    expect(retryDelay(DEFAULT_RETRY, 1, new LlmError('rate_limited', 'x', { retryAfterMs: 3000 }))).toBe(3000)
    expect(retryDelay(DEFAULT_RETRY, 1, new LlmError('rate_limited', 'x', { retryAfterMs: 60_000 }))).toBeUndefined()
  })
  test.each(['auth', 'invalid_request', 'upstream', 'connection', 'timeout', 'aborted'] as const)('%s is not retried', (failure) => {
    expect(retryDelay(DEFAULT_RETRY, 1, new LlmError(failure, 'x'))).toBeUndefined()
  })
})
