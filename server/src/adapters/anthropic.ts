import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk'
import { LlmError } from '../ports.ts'
import type { LlmClient, LlmRequest, LlmStreamEvent } from '../ports.ts'
import type { Secret } from '../secret.ts'

export interface AnthropicOptions {
  apiKey: Secret
  /// ANTHROPIC_BASE_URL; unset: the SDK's default (https://api.anthropic.com).
  baseUrl?: string | undefined
  /// Until the response starts (the SDK's timeout); a stream then runs as long as it runs.
  timeoutMs?: number
}

/// The Messages API through the official SDK. The SDK's own retries are off (the domain decides what to retry, and
/// only before anything streams), so are its logs (they could carry bodies), and it reads nothing from the
/// environment: key and base URL come from the validated config only. Every failure becomes an `LlmError` that holds
/// no upstream body, header or key.
export class AnthropicLlmClient implements LlmClient {
  private readonly client: Anthropic

  constructor(options: AnthropicOptions) {
    this.client = new Anthropic({
      apiKey: options.apiKey.reveal(),
      baseURL: options.baseUrl ?? 'https://api.anthropic.com',
      webhookKey: null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 120_000,
      logLevel: 'off',
    })
  }

  async *stream(request: LlmRequest, signal: AbortSignal): AsyncGenerator<LlmStreamEvent> {
    let events: AsyncIterable<unknown>
    try {
      events = await this.client.messages.create({ ...(request as unknown as Anthropic.MessageCreateParamsNonStreaming), stream: true }, { signal })
    } catch (err) {
      throw toLlmError(err)
    }
    try {
      for await (const event of events) yield event as LlmStreamEvent
    } catch (err) {
      throw toLlmError(err)
    }
  }
}

/// What went wrong, in safe words: status, error type and request id, never a body (which may quote the request).
export function toLlmError(err: unknown): LlmError {
  if (err instanceof LlmError) return err
  if (err instanceof APIUserAbortError) return new LlmError('aborted', 'the request was aborted')
  if (err instanceof APIConnectionTimeoutError) return new LlmError('timeout', 'the request to Anthropic timed out')
  if (err instanceof APIConnectionError) return new LlmError('connection', 'the connection to Anthropic failed')
  if (err instanceof APIError) {
    const status = err.status
    const type = err.type ?? undefined
    const info = { status, type, requestId: err.requestID ?? undefined, retryAfterMs: retryAfterMs(err.headers) }
    if (status === 529 || type === 'overloaded_error') return new LlmError('overloaded', 'Anthropic is overloaded', info)
    if (status === 429 || type === 'rate_limit_error') return new LlmError('rate_limited', 'Anthropic rate-limited the request', info)
    if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') return new LlmError('auth', 'Anthropic refused the API key', info)
    if (status === 400 || status === 404 || status === 413 || status === 422 || type === 'invalid_request_error') return new LlmError('invalid_request', 'Anthropic refused the request', info)
    return new LlmError('upstream', status ? `Anthropic answered HTTP ${status}` : 'Anthropic sent an error event', info)
  }
  // fetch's own failures while reading the body (a connection cut midway: "terminated").
  return new LlmError('connection', 'the connection to Anthropic broke')
}

/// `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in milliseconds.
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'))
  if (headers?.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms
  const value = headers?.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
