import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { FakeAnthropic } from '../../test-support/fake-anthropic.mjs'
import { startFakeAnthropic } from '../../test-support/fake-anthropic.mjs'
import { LlmError } from '../ports.ts'
import type { LlmRequest, LlmStreamEvent } from '../ports.ts'
import { Secret } from '../secret.ts'
import { AnthropicLlmClient } from './anthropic.ts'

// The official SDK, unchanged, against the fake: what proves the fake speaks the real protocol, and what the adapter
// makes of each way a call can end.
let fake: FakeAnthropic
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'test-key-1' })
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const ask = (text: string): LlmRequest => ({ model: 'claude-sonnet-5-5', max_tokens: 1000, system: [], tools: [], messages: [{ role: 'user', content: [{ type: 'text', text }] }] })

describe('the fake, through the official SDK', () => {
  const sdk = () => new Anthropic({ apiKey: 'test-key-1', baseURL: fake.url, maxRetries: 0 })

  test('streamed text, a thinking block and a tool call whose JSON is split across deltas come out whole', async () => {
    const input = { path: 'src/main.ts', old_text: 'const a = 1\n', new_text: 'const a = 2\n' }
    fake.enqueue({
      blocks: [
        { type: 'thinking', thinking: 'The constant is wrong.', signature: 'sig-1' },
        { type: 'text', text: 'I will fix the constant.', chunk: 3 },
        { type: 'tool_use', name: 'edit_file', input, chunk: 4 },
      ],
    })
    const stream = sdk().messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'fix it' }] })
    const deltas: string[] = []
    stream.on('text', (t) => deltas.push(t))
    const message = await stream.finalMessage()
    expect(deltas.length).toBeGreaterThan(5)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toMatchObject([
      { type: 'thinking', thinking: 'The constant is wrong.', signature: 'sig-1' },
      { type: 'text', text: 'I will fix the constant.' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'edit_file', input },
    ])
    expect(message.usage.output_tokens).toBeGreaterThan(0)
    const recorded = fake.requests[0]!
    expect(recorded).toMatchObject({ keyAccepted: true, status: 200, completed: true })
    expect(recorded.anthropicVersion).toBeTruthy()
  })

  test('HTTP errors arrive as the SDK error classes the real API makes', async () => {
    fake.enqueue({ status: 529 }, { status: 429, retryAfter: 7 })
    await expect(sdk().messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 529, type: 'overloaded_error' })
    const limited = await sdk().messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError)
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7')
    const refused = await new Anthropic({ apiKey: 'wrong', baseURL: fake.url, maxRetries: 0 }).messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError)
  })

  test('more than four cache_control breakpoints are refused like the real API does', async () => {
    const marked = { type: 'text' as const, text: 'x', cache_control: { type: 'ephemeral' as const } }
    const res = sdk().messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [marked, marked, marked, marked, marked] }] })
    await expect(res).rejects.toMatchObject({ status: 400, type: 'invalid_request_error' })
  })
})

describe('AnthropicLlmClient', () => {
  const client = (key = 'test-key-1') => new AnthropicLlmClient({ apiKey: new Secret(key), baseUrl: fake.url })
  async function run(request: LlmRequest, signal = new AbortController().signal) {
    const events: LlmStreamEvent[] = []
    try {
      for await (const e of client().stream(request, signal)) events.push(e)
      return { events, error: undefined }
    } catch (error) {
      return { events, error: error as LlmError }
    }
  }

  test.each([
    ['529', { status: 529 }, 'overloaded', { status: 529 }],
    ['429 with retry-after', { status: 429, retryAfter: 3 }, 'rate_limited', { status: 429, retryAfterMs: 3000 }],
    ['401', { status: 401 }, 'auth', { status: 401, type: 'authentication_error' }],
    ['500', { status: 500 }, 'upstream', { status: 500 }],
    ['an error event midway', { blocks: [{ type: 'text' as const, text: 'abcdefgh', chunk: 2 }], errorAfterDeltas: 2 }, 'overloaded', { type: 'overloaded_error' }],
    ['a connection cut midway', { blocks: [{ type: 'text' as const, text: 'abcdefgh', chunk: 2 }], cutAfterDeltas: 2 }, 'connection', {}],
  ])('%s becomes an LlmError with nothing of the upstream body', async (_what, reply, failure, info) => {
    fake.enqueue(reply)
    const { error } = await run(ask('hi'))
    expect(error).toBeInstanceOf(LlmError)
    expect(error).toMatchObject({ failure, info: expect.objectContaining(info) })
    expect(JSON.stringify({ message: error!.message, info: error!.info })).not.toMatch(/invalid x-api-key|Overloaded|exceeded/)
  })

  test('a stream that ends without message_stop ends quietly (the domain notices)', async () => {
    fake.enqueue({ blocks: [{ type: 'text', text: 'partial' }], endWithoutStop: true })
    const { events, error } = await run(ask('hi'))
    expect(error).toBeUndefined()
    expect(events.map((e) => e.type)).not.toContain('message_stop')
    expect(events.map((e) => e.type)).toContain('message_delta')
  })

  test('aborting the signal closes the upstream connection', async () => {
    fake.enqueue({ blocks: [{ type: 'text', text: 'x'.repeat(400), chunk: 4 }], delayMs: 20 })
    const controller = new AbortController()
    const events: LlmStreamEvent[] = []
    for await (const e of client().stream(ask('hi'), controller.signal)) {
      events.push(e)
      if (events.length === 5) controller.abort()
    }
    await expect.poll(() => fake.requests[0]?.closedByClient, { timeout: 2000 }).toBe(true)
    expect(fake.requests[0]!.completed).toBe(false)
  })
})
