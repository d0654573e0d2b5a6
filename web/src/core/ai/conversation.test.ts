import { AI_LIMITS } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import { buildRequest, compactConversation, jsonBytes, settleInterrupted, titleOf, toWire } from './conversation.ts'
import type { ChatMessage, Conversation } from './conversation.ts'

const at = '2026-01-01T00:00:00.000Z'
const prompt = (turnId: string, text: string): ChatMessage => ({ kind: 'prompt', id: `p-${turnId}`, turnId, createdAt: at, text, context: [] })
const answer = (turnId: string, blocks: Extract<ChatMessage, { kind: 'answer' }>['blocks'], extra: object = {}): ChatMessage => ({ kind: 'answer', id: `a-${turnId}-${blocks.length}`, turnId, createdAt: at, blocks, ...extra })
const results = (turnId: string, ids: string[]): ChatMessage => ({
  kind: 'tool_results',
  id: `r-${turnId}`,
  turnId,
  createdAt: at,
  results: ids.map((id) => ({ tool_use_id: id, name: 'list_files', content: `result ${id}`, is_error: false, summary: '' })),
})
const use = (id: string) => ({ type: 'tool_use' as const, id, name: 'list_files' as const, input: {} })

describe('toWire', () => {
  test('prompts and results are user messages, answers assistant messages, tool calls answered in order', () => {
    const wire = toWire([prompt('1', 'List files'), answer('1', [{ type: 'text', text: 'Looking' }, use('t1')]), results('1', ['t1']), answer('1', [{ type: 'text', text: 'Two files' }]), prompt('2', 'Thanks')])
    expect(wire).toEqual({
      dropped: 0,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List files' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Looking' }, use('t1')] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'result t1' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Two files' }] },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
    })
  })

  test('thinking blocks go back in the assistant message as they are; an answer of thinking alone is left out', () => {
    const thinking = { type: 'thinking' as const, thinking: 'Let me look.', signature: 'sig' }
    const wire = toWire([prompt('1', 'Go'), answer('1', [thinking, use('t1')]), results('1', ['t1']), answer('1', [thinking], { stopped: true }), prompt('2', 'Again')])
    expect(wire.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      { role: 'assistant', content: [thinking, use('t1')] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'result t1' }, { type: 'text', text: 'Again' }] },
    ])
  })

  test('a stopped answer’s unanswered calls get a not-run result, empty text goes, same roles merge', () => {
    const wire = toWire([prompt('1', 'Go'), answer('1', [{ type: 'text', text: '  ' }, use('t1'), use('t2')], { stopped: true }), prompt('2', 'Why did you stop?')])
    expect(wire.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      { role: 'assistant', content: [use('t1'), use('t2')] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'This tool call was not run (the turn ended before it).', is_error: true },
          { type: 'tool_result', tool_use_id: 't2', content: 'This tool call was not run (the turn ended before it).', is_error: true },
          { type: 'text', text: 'Why did you stop?' },
        ],
      },
    ])
  })

  test('a result whose call is gone is dropped', () => {
    expect(toWire([results('0', ['old']), prompt('1', 'Hi')]).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }])
  })

  test('the oldest turns are left out to fit the byte and message limits', () => {
    const big = 'x'.repeat(100_000)
    const messages = Array.from({ length: 30 }, (_, i) => [prompt(String(i), `${i} ${big}`), answer(String(i), [{ type: 'text', text: 'ok' }])]).flat()
    const wire = toWire([...messages, prompt('last', 'and now?')], 1_000_000)
    expect(jsonBytes(wire.messages)).toBeLessThanOrEqual(1_000_000)
    expect(wire.dropped).toBeGreaterThan(20)
    expect(wire.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'and now?' }] })
    expect(wire.messages[0]!.role).toBe('user')
    const many = Array.from({ length: AI_LIMITS.maxMessages }, (_, i) => [prompt(String(i), 'q'), answer(String(i), [{ type: 'text', text: 'a' }])]).flat()
    expect(toWire([...many, prompt('x', 'q')]).messages.length).toBeLessThanOrEqual(AI_LIMITS.maxMessages)
  })
})

test('compactConversation drops the oldest turns and their checkpoints past the bound, keeping the latest', () => {
  const big = 'y'.repeat(50_000)
  const c: Conversation = {
    id: 'c',
    projectId: 'p',
    title: 't',
    createdAt: at,
    updatedAt: at,
    messages: Array.from({ length: 10 }, (_, i) => [prompt(String(i), big), answer(String(i), [{ type: 'text', text: 'ok' }])]).flat(),
    checkpoints: Array.from({ length: 10 }, (_, i) => ({ turnId: String(i), files: [] })),
  }
  const small = compactConversation(c, 200_000)
  expect(jsonBytes(small)).toBeLessThanOrEqual(200_000)
  expect(small.messages.at(-1)!.turnId).toBe('9')
  expect(small.checkpoints.map((cp) => cp.turnId)).toEqual([...new Set(small.messages.map((m) => m.turnId))])
  expect(compactConversation(c, 10).messages.map((m) => m.turnId)).toEqual(['9', '9'])
  expect(compactConversation(c)).toBe(c)
})

test('titleOf takes the first line, cut to 60 characters', () => {
  expect(titleOf('  Why is the build red?\nMore')).toBe('Why is the build red?')
  expect(titleOf('a'.repeat(80))).toBe(`${'a'.repeat(59)}…`)
})

describe('buildRequest', () => {
  const userTexts = (r: ReturnType<typeof buildRequest>) =>
    'messages' in r ? r.messages.filter((m) => m.role === 'user').flatMap((m) => m.content.flatMap((b) => (b.type === 'text' ? [b.text] : []))) : r
  const failed = { error: { code: 'ai_upstream_error', message: 'The server’s AI key was refused.' } }

  test('a turn that failed is not asked again with the next question', () => {
    const messages = [prompt('t1', 'first question'), answer('t1', [{ type: 'text', text: 'partial' }], failed), prompt('t2', 'second question')]
    expect(userTexts(buildRequest(messages, 't2', undefined, undefined))).toEqual(['second question'])
  })

  test('a question left without an answer (the page reloaded mid-stream) is not asked again', () => {
    const messages = [prompt('t1', 'reload me'), prompt('t2', 'next')]
    expect(userTexts(buildRequest(messages, 't2', undefined, undefined))).toEqual(['next'])
  })

  test('an answer cut off by a reload (stored while streaming) counts as no answer: its text and question are not sent again', () => {
    const stored = [prompt('t1', 'reload me'), answer('t1', [{ type: 'text', text: 'half an ans' }], { streaming: true }), prompt('t2', 'next')]
    expect(userTexts(buildRequest(stored, 't2', undefined, undefined))).toEqual(['next'])
    const settled = settleInterrupted({ id: 'c', projectId: 'p', title: 't', createdAt: '', updatedAt: '', messages: stored, checkpoints: [] })
    const cut = settled.messages[1]!
    expect(cut).toMatchObject({ kind: 'answer', interrupted: true, blocks: [{ text: 'half an ans' }] })
    expect('streaming' in cut).toBe(false)
    const request = buildRequest(settled.messages, 't2', undefined, undefined)
    expect(userTexts(request)).toEqual(['next'])
    expect(JSON.stringify(request)).not.toContain('half an ans')
    // Retry of the interrupted turn asks its question again, without the partial text.
    const retried = buildRequest(settled.messages.slice(0, 2), 't1', undefined, undefined)
    expect(retried).toEqual({ messages: [{ role: 'user', content: [{ type: 'text', text: 'reload me' }] }] })
  })

  test('settleInterrupted marks a last answer whose tool calls never got results (the page closed while a command waited for approval)', () => {
    const waiting = [prompt('t1', 'run it'), answer('t1', [{ type: 'text', text: "I'll run the tests." }, use('c1')])]
    const settled = settleInterrupted({ id: 'c', projectId: 'p', title: 't', createdAt: '', updatedAt: '', messages: waiting, checkpoints: [] })
    expect(settled.messages[1]).toMatchObject({ interrupted: true, blocks: [{ text: "I'll run the tests." }, { id: 'c1' }] })
    // The same answer with its results, or a stopped one, is left as it is.
    const done = { id: 'c', projectId: 'p', title: 't', createdAt: '', updatedAt: '', messages: [...waiting, results('t1', ['c1'])], checkpoints: [] }
    expect(settleInterrupted(done)).toBe(done)
    const stopped = { ...done, messages: [prompt('t1', 'run it'), answer('t1', [use('c1')], { stopped: true })] }
    expect(settleInterrupted(stopped)).toBe(stopped)
  })

  test('settleInterrupted leaves a conversation with no streaming answer as it is', () => {
    const c = { id: 'c', projectId: 'p', title: 't', createdAt: '', updatedAt: '', messages: [prompt('t1', 'q'), answer('t1', [{ type: 'text', text: 'a' }])], checkpoints: [] }
    expect(settleInterrupted(c)).toBe(c)
  })

  test('answered turns stay, and Retry of a failed turn still sends its question', () => {
    const messages = [prompt('t1', 'one'), answer('t1', [{ type: 'text', text: 'yes' }]), prompt('t2', 'two'), answer('t2', [{ type: 'text', text: 'x' }], failed)]
    expect(userTexts(buildRequest(messages, 't2', undefined, undefined))).toEqual(['one', 'two'])
  })
})
