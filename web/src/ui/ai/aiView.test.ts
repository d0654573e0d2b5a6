import { describe, expect, test } from 'vitest'
import type { ChatMessage, Conversation } from '../../core/ai/index.ts'
import { fenceLanguage, formatCost, formatTokens, lastUndoableTurn, lineStat, resultsById, toolStat, turnsOf, undoState } from './aiView.ts'

const at = '2026-01-01T00:00:00.000Z'
const prompt = (turnId: string): ChatMessage => ({ kind: 'prompt', id: `p${turnId}`, turnId, createdAt: at, text: 'q', context: [] })
const answer = (turnId: string, n: number): ChatMessage => ({ kind: 'answer', id: `a${turnId}${n}`, turnId, createdAt: at, blocks: [{ type: 'tool_use', id: `t${turnId}${n}`, name: 'read_file', input: { path: 'a' } }] })
const results = (turnId: string, n: number): ChatMessage => ({ kind: 'tool_results', id: `r${turnId}${n}`, turnId, createdAt: at, results: [{ tool_use_id: `t${turnId}${n}`, name: 'read_file', content: 'x', is_error: false, summary: 'Read a' }] })

test('turnsOf groups each prompt with what answered it; replies without a prompt (cut off by compaction) make their own turn', () => {
  const turns = turnsOf([answer('0', 1), prompt('1'), answer('1', 1), results('1', 1), answer('1', 2), prompt('2')])
  expect(turns.map((t) => [t.turnId, t.prompt?.id, t.replies.map((r) => r.id)])).toEqual([
    ['0', undefined, ['a01']],
    ['1', 'p1', ['a11', 'r11', 'a12']],
    ['2', 'p2', []],
  ])
  expect(resultsById([results('1', 1)]).get('t11')?.summary).toBe('Read a')
})

describe('lineStat', () => {
  test.each([
    ['a\nb\nc', 'a\nB\nc', 1, 1],
    ['a\nb', 'a\nb\nc\nd', 2, 0],
    [undefined, 'x\ny', 2, 0],
    ['x\ny\nz', undefined, 0, 3],
    ['same', 'same', 0, 0],
    ['', 'one', 1, 0],
  ])('%j → %j: +%i −%i', (before, after, added, removed) => {
    expect(lineStat(before, after)).toEqual({ added, removed })
  })
})

test('toolStat: edits by their old and new text, creations by their content, other tools none', () => {
  expect(toolStat({ type: 'tool_use', id: '1', name: 'edit_file', input: { path: 'a', old_text: 'x\ny', new_text: 'x\nz\nw' } })).toEqual({ added: 2, removed: 1 })
  expect(toolStat({ type: 'tool_use', id: '2', name: 'create_file', input: { path: 'a', content: 'one\ntwo\n' } })).toEqual({ added: 3, removed: 0 })
  expect(toolStat({ type: 'tool_use', id: '3', name: 'read_file', input: { path: 'a' } })).toBeUndefined()
})

test('formatTokens and formatCost read as a person would write them', () => {
  expect([950, 1000, 1234, 12_345, 999_999, 1_500_000].map(formatTokens)).toEqual(['950', '1K', '1.2K', '12K', '1000K', '1.5M'])
  expect([0, 0.0042, 0.126, 2.4].map(formatCost)).toEqual(['$0', '$0.0042', '$0.13', '$2.40'])
})

test('undo: a turn that changed files can be undone once; the last such turn is what Undo Last Turn undoes', () => {
  const c: Conversation = {
    id: 'c',
    projectId: 'p',
    title: 't',
    createdAt: at,
    updatedAt: at,
    messages: [prompt('1'), prompt('2'), prompt('3')],
    checkpoints: [
      { turnId: '1', files: [{ path: 'a', kind: 'created', after: 'x' }] },
      { turnId: '2', files: [{ path: 'b', kind: 'created', after: 'y' }], undone: { at, differs: [] } },
      { turnId: '3', files: [] },
    ],
  }
  expect(['1', '2', '3', '4'].map((t) => undoState(c, t))).toEqual(['can', 'done', 'none', 'none'])
  expect(lastUndoableTurn(c)).toBe('1')
  expect(lastUndoableTurn(undefined)).toBeUndefined()
})

test('fenceLanguage: aliases, Monaco ids and file extensions; nothing for unknown fences', () => {
  expect(['bash', 'js', 'tsx', 'json', 'python', 'css', 'jsx', '', 'klingon', undefined].map(fenceLanguage)).toEqual([
    'shell',
    'javascript',
    'typescript',
    'json',
    'python',
    'css',
    'javascript',
    undefined,
    undefined,
    undefined,
  ])
})
