import type { AiStreamEvent } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import type { LlmStreamEvent } from '../../ports.ts'
import { StreamAssembler } from './stream.ts'

const start = (usage = { input_tokens: 120, output_tokens: 1, cache_read_input_tokens: 900, cache_creation_input_tokens: 30 }): LlmStreamEvent => ({
  type: 'message_start',
  message: { model: 'claude-sonnet-5-5', usage },
})

/// An answer as the API streams it: text, then a tool call, each split into the given pieces.
function answer(textPieces: string[], jsonPieces: string[]): LlmStreamEvent[] {
  return [
    start(),
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...textPieces.map((text): LlmStreamEvent => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'edit_file' } },
    ...jsonPieces.map((partial_json): LlmStreamEvent => ({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } })),
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 87, input_tokens: null } },
    { type: 'message_stop' },
  ]
}

const run = (events: LlmStreamEvent[]) => {
  const a = new StreamAssembler()
  const out: AiStreamEvent[] = events.flatMap((e) => a.push(e))
  return { a, out }
}

/// Every way to cut `s` into pieces at the cut points chosen by `mask` (bit i: cut after character i).
function splits(s: string, mask: number): string[] {
  const pieces: string[] = []
  let from = 0
  for (let i = 1; i < s.length; i++) if (mask & (1 << (i - 1))) (pieces.push(s.slice(from, i)), (from = i))
  pieces.push(s.slice(from))
  return pieces
}

describe('StreamAssembler', () => {
  const input = { path: 'src/é.ts', old_text: 'a "quoted" \\ line\n', new_text: '🙂\n' }
  const json = JSON.stringify(input)

  test('a tool input split at any one place, or at many, parses to the same object', () => {
    for (let cut = 0; cut <= json.length; cut++) {
      const { out } = run(answer(['Hi'], [json.slice(0, cut), json.slice(cut)]))
      expect(out.find((e) => e.type === 'tool')).toEqual({ type: 'tool', id: 'toolu_9', name: 'edit_file', input })
    }
    for (let seed = 1; seed < 200; seed++) {
      const mask = (seed * 2654435761) >>> 0
      const { out } = run(answer(splits('Hello there', mask & 0x3ff), splits(json, mask)))
      expect(out.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe('Hello there')
      expect(out.find((e) => e.type === 'tool')).toMatchObject({ input })
    }
  })

  test('events in order: text as it comes, tool_start at the call’s start, the whole call at its end', () => {
    const { a, out } = run(answer(['Hel', 'lo'], ['{"path":', '"a.ts"}']))
    expect(out.map((e) => e.type)).toEqual(['text', 'text', 'tool_start', 'tool'])
    expect(a).toMatchObject({ started: true, complete: true, failed: false, stopReason: 'tool_use', model: 'claude-sonnet-5-5' })
    // message_delta's counts are cumulative; a null leaves the count message_start gave.
    expect(a.usage).toEqual({ input_tokens: 120, output_tokens: 87, cache_read_input_tokens: 900, cache_creation_input_tokens: 30 })
  })

  test.each([
    ['cut JSON', '{"path": "src/ma'],
    ['an array', '["a.ts"]'],
    ['a string', '"a.ts"'],
    ['null', 'null'],
  ])('a tool input that is %s: one error event, then nothing more', (_what, broken) => {
    const { a, out } = run(answer(['Hi'], [broken]))
    expect(out.map((e) => e.type)).toEqual(['text', 'tool_start', 'error'])
    expect(out.at(-1)).toMatchObject({ code: 'ai_upstream_error', message: expect.stringContaining('edit_file') })
    expect(a.failed).toBe(true)
  })

  test('a tool with no input streams none and gets {}', () => {
    const { out } = run(answer([], []))
    expect(out.find((e) => e.type === 'tool')).toMatchObject({ input: {} })
  })

  test('thinking and redacted thinking arrive whole, signature included', () => {
    const { out } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Look at ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'the test.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque==' } },
      { type: 'content_block_stop', index: 1 },
    ])
    expect(out).toEqual([
      { type: 'thinking', block: { type: 'thinking', thinking: 'Look at the test.', signature: 'EqQB' } },
      { type: 'thinking', block: { type: 'redacted_thinking', data: 'opaque==' } },
    ])
  })

  test('blocks and deltas it does not know pass over; a stream without message_stop is not complete', () => {
    const { a, out } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta' } },
      { type: 'content_block_delta', index: 7, delta: { type: 'text_delta', text: 'orphan' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'Partial' } },
    ])
    expect(out).toEqual([{ type: 'text', text: 'Partial' }])
    expect(a.complete).toBe(false)
    expect(a.outputChars).toBe('Partial'.length)
  })
})
