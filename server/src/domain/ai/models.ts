import type { AiModel } from '@slipway/shared'

/// The models offered when SLIPWAY_AI_MODELS is unset: the current Sonnet (the default) and Haiku, by the ids of
/// Anthropic's models overview (platform.claude.com, checked December 2026).
export const DEFAULT_MODELS = ['claude-sonnet-5-5', 'claude-haiku-5-5'] as const

/// Published prices in USD per million tokens (platform.claude.com model pages and pricing, December 2026; Sonnet
/// 5.5's cache reads since their cut of 2026-10-07). A model not listed is offered without a price.
export const KNOWN_PRICES: Readonly<Record<string, NonNullable<AiModel['price']>>> = {
  'claude-sonnet-5-5': { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 },
  // Priced by prompt length: over 100,000 prompt tokens, every token of the call at five times the rate.
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheRead: 0.01,
    cacheWrite: 0.125,
    longPrompt: { aboveTokens: 100_000, input: 0.5, output: 2.5, cacheRead: 0.05, cacheWrite: 0.625 },
  },
  'claude-sonnet-5': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-haiku-4-5-20251001': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
}

export const modelInfo = (id: string): AiModel => (KNOWN_PRICES[id] ? { id, price: KNOWN_PRICES[id] } : { id })
