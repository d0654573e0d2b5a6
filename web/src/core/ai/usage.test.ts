import { describe, expect, test } from 'vitest'
import { costUsd, totalTokens } from './usage.ts'

const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }
const usage = (input: number, output: number, read = 0, write = 0) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: read, cache_creation_input_tokens: write })

describe('costUsd', () => {
  test('prices each kind of token per million', () => {
    expect(costUsd(usage(1_000_000, 100_000, 2_000_000, 400_000), price)).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 10)
  })
  test('no price, no cost', () => {
    expect(costUsd(usage(10, 10), undefined)).toBeUndefined()
  })
  test('a prompt over the long-prompt threshold (cache reads and writes count) is priced at the long-prompt tier, all of it', () => {
    const tiered = { ...price, longPrompt: { aboveTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 } }
    expect(costUsd(usage(100_000, 1_000, 100_000), tiered)).toBeCloseTo((100_000 * 3 + 1_000 * 15 + 100_000 * 0.3) / 1e6, 10)
    expect(costUsd(usage(100_000, 1_000, 100_001), tiered)).toBeCloseTo((100_000 * 6 + 1_000 * 22.5 + 100_001 * 0.6) / 1e6, 10)
  })
})

test('totalTokens adds every kind', () => {
  expect(totalTokens(usage(1, 2, 3, 4))).toBe(10)
})
