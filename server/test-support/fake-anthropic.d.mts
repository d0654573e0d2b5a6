/// Types of fake-anthropic.mjs for the TypeScript tests that start it.

export interface FakeUsage {
  input_tokens: number
  output_tokens: number
  cache_read_input_tokens: number
  cache_creation_input_tokens: number
}

export type FakeBlock =
  | { type: 'text'; text: string; chunk?: number }
  | { type: 'tool_use'; name: string; input?: Record<string, unknown>; json?: string; id?: string; chunk?: number }
  | { type: 'thinking'; thinking?: string; signature?: string }
  | { type: 'redacted_thinking'; data?: string }

export interface FakeReply {
  /// An HTTP error instead of a stream (529, 401, 429, 500, 400), with `retry-after` seconds.
  status?: number
  retryAfter?: number
  blocks?: FakeBlock[]
  stopReason?: string
  usage?: Partial<FakeUsage>
  delayMs?: number
  firstByteDelayMs?: number
  cutAfterDeltas?: number
  errorAfterDeltas?: number
  endWithoutStop?: boolean
  hold?: boolean
}

export interface FakeRequestRecord {
  n: number
  receivedAt: number
  bytes: number
  apiKey: string | undefined
  keyAccepted: boolean
  anthropicVersion: string | undefined
  // The request body as received (the Messages API's shape).
  body: any
  status: number
  usage: FakeUsage | undefined
  reply: string | undefined
  completed: boolean
  closedByClient: boolean
  cutByFake?: boolean
}

export interface FakeAnthropic {
  url: string
  port: number
  requests: FakeRequestRecord[]
  enqueue(...replies: FakeReply[]): void
  reset(): void
  waitForRequests(n: number, options?: { timeoutMs?: number }): Promise<FakeRequestRecord>
  close(): Promise<void>
}

export const MARKERS: Record<string, string>

export function startFakeAnthropic(options?: { port?: number; host?: string; apiKey?: string; delayMs?: number }): Promise<FakeAnthropic>
