import type { AiModel, AiUsage } from '@slipway/shared'

/// What one model call cost in USD at the model's price (per million tokens), or undefined when the price is not
/// known. `input_tokens` does not include cache reads and writes; the API reports those apart.
export function costUsd(usage: AiUsage, price: AiModel['price']): number | undefined {
  if (!price) return undefined
  return (
    (usage.input_tokens * price.input +
      usage.output_tokens * price.output +
      usage.cache_read_input_tokens * price.cacheRead +
      usage.cache_creation_input_tokens * price.cacheWrite) /
    1_000_000
  )
}

/// Every token of a call, as the budget counts them.
export function totalTokens(usage: AiUsage): number {
  return usage.input_tokens + usage.output_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
}
