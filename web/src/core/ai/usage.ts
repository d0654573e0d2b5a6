import type { AiModel, AiUsage } from '@slipway/shared'

/// What one model call cost in USD at the model's price (per million tokens), or undefined when the price is not
/// known. `input_tokens` does not include cache reads and writes; the API reports those apart. A model priced by
/// prompt length charges its `longPrompt` prices for every token of a call whose prompt is over `aboveTokens`.
export function costUsd(usage: AiUsage, price: AiModel['price']): number | undefined {
  if (!price) return undefined
  const prompt = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
  const p = price.longPrompt && prompt > price.longPrompt.aboveTokens ? price.longPrompt : price
  return (
    (usage.input_tokens * p.input + usage.output_tokens * p.output + usage.cache_read_input_tokens * p.cacheRead + usage.cache_creation_input_tokens * p.cacheWrite) /
    1_000_000
  )
}

/// Every token of a call, as the budget counts them.
export function totalTokens(usage: AiUsage): number {
  return usage.input_tokens + usage.output_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
}
