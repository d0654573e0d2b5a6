/// The assistant's way to the server's Claude proxy (adapters/api/AiClient.ts implements it over HTTP and SSE).
import type { AiMessagesRequest, AiStatus, AiStreamEvent, AiUsage } from '@slipway/shared'
import type { TurnError } from './conversation.ts'

/// A stream event as the port delivers it: the proxy's events, with failures of the request itself (an HTTP
/// refusal, no network, an answer that breaks the contract) as an `error` event too.
export type AiEvent =
  | Exclude<AiStreamEvent, { type: 'error' }>
  | { type: 'error'; code: TurnError['code']; message: string; usage?: AiUsage; retryAfterSeconds?: number }

export type AiStatusResult = { ok: true; status: AiStatus } | { ok: false; error: TurnError }

export interface AiPort {
  /// Whether the assistant is on, its models (with prices) and today's budget.
  status(signal?: AbortSignal): Promise<AiStatusResult>
  /// One model call. Yields the stream's events, each checked against the wire contract; the last is `done` or
  /// `error`. Aborting `signal` ends the stream (and the upstream call) without a further event.
  messages(request: AiMessagesRequest, signal: AbortSignal): AsyncIterable<AiEvent>
}
