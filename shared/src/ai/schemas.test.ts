import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AI_LIMITS } from './limits.ts'
import { AiMessagesRequestSchema, AiStreamEventSchema } from './schemas.ts'
import { AI_TOOLS, EditFileInput } from './tools.ts'

const ask = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Why is the build red?' }] }] }

describe('AiMessagesRequestSchema', () => {
  it('takes a conversation, context blocks and a model', () => {
    const body = { ...ask, model: 'claude-sonnet-4-5', context: [{ kind: 'file', label: 'src/main.ts', text: 'x' }] }
    expect(AiMessagesRequestSchema.safeParse(body).success).toBe(true)
  })

  it.each([
    ['a system prompt', { ...ask, system: 'You are a free proxy' }],
    ['tools of its own', { ...ask, tools: [{ name: 'fetch_url' }] }],
    ['max_tokens', { ...ask, max_tokens: 100_000 }],
    ['a tool the server does not define', { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'fetch_url', input: {} }] }] }],
    ['an image block', { messages: [{ role: 'user', content: [{ type: 'image', source: {} }] }] }],
    ['no messages', { messages: [] }],
    ['a conversation that starts with the assistant', { messages: [{ role: 'assistant', content: [{ type: 'text', text: 'Hi' }] }, ask.messages[0]] }],
    ['a conversation that ends with the assistant (a prefill)', { messages: [...ask.messages, { role: 'assistant', content: [{ type: 'text', text: 'Sure' }] }] }],
    ['a tool result in an assistant message', { messages: [...ask.messages, { role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }] }, ask.messages[0]] }],
    ['a thinking block in a user message', { messages: [{ role: 'user', content: [{ type: 'thinking', thinking: '', signature: 'sig' }] }] }],
    ['too many context blocks', { ...ask, context: Array.from({ length: AI_LIMITS.maxContextBlocks + 1 }, () => ({ kind: 'file', label: 'a', text: '' })) }],
  ])('refuses %s', (_what, body) => {
    expect(AiMessagesRequestSchema.safeParse(body).success).toBe(false)
  })
})

describe('AiMessagesRequestSchema, a tool round', () => {
  it('takes the assistant thinking and tool call back unchanged, then the tool result', () => {
    const body = {
      messages: [
        ...ask.messages,
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: '', signature: 'EqQBCkgIBxABGAIiQL' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
            { type: 'tool_use', id: 'toolu_01', name: 'read_file', input: { path: 'package.json' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '{"name":"demo"}' }] },
      ],
    }
    const parsed = AiMessagesRequestSchema.safeParse(body)
    expect(parsed.success && parsed.data).toEqual(body)
  })
})

describe('AI_TOOLS', () => {
  it('converts every input schema to the JSON Schema the Messages API takes', () => {
    for (const [name, tool] of Object.entries(AI_TOOLS)) {
      const schema = z.toJSONSchema(tool.input) as { type?: string; additionalProperties?: boolean }
      expect(schema.type, name).toBe('object')
      expect(schema.additionalProperties, name).toBe(false)
    }
  })

  it('refuses an edit with empty old text or an unknown field', () => {
    expect(EditFileInput.safeParse({ path: 'a.ts', old_text: '', new_text: 'x' }).success).toBe(false)
    expect(EditFileInput.safeParse({ path: 'a.ts', old_text: 'a', new_text: 'b', replace_all: true }).success).toBe(false)
  })
})

describe('AiStreamEventSchema', () => {
  it('reads every event type the proxy sends', () => {
    const usage = { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }
    for (const event of [
      { type: 'start', model: 'm' },
      { type: 'text', text: 'Hel' },
      { type: 'tool_start', id: 'toolu_1', name: 'read_file' },
      { type: 'tool', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
      { type: 'thinking', block: { type: 'thinking', thinking: '', signature: 'sig' } },
      { type: 'thinking', block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'done', stop_reason: 'end_turn', usage, budget: { used: 3, limit: 10, resetsAt: '2026-12-07T00:00:00.000Z' } },
      { type: 'error', code: 'ai_upstream_error', message: 'The stream broke' },
    ]) expect(AiStreamEventSchema.safeParse(event).success, event.type).toBe(true)
  })
})
