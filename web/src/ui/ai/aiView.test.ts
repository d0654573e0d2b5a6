import { describe, expect, test } from 'vitest'
import type { ChatMessage, Conversation } from '../../core/ai/index.ts'
import type { StagedView, ToolResult } from '../../core/ai/index.ts'
import { fenceLanguage, formatCost, formatTokens, lastUndoableTurn, lineStat, noticeFades, notRunLabel, resultLabel, resultsById, toolLabel, toolStat, turnsOf, undoState } from './aiView.ts'

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

describe('tool lines say what became of a change', () => {
  const edit: ToolResult = { tool_use_id: 't1', name: 'edit_file', content: 'x', is_error: false, summary: 'Edited src/a.js (staged)', path: 'src/a.js' }
  const conversation = (files: string[], undone = false): Conversation => ({
    id: 'c',
    projectId: 'p',
    title: 't',
    createdAt: at,
    updatedAt: at,
    messages: [],
    checkpoints: [{ turnId: '1', files: files.map((path) => ({ path, kind: 'created' as const, after: '' })), ...(undone ? { undone: { at, differs: [] } } : {}) }],
  })
  const staged: StagedView[] = [{ path: 'src/a.js', kind: 'edit', turnIds: ['1'] }]
  test.each([
    ['still staged', conversation([]), staged, 'Edited src/a.js (staged)'],
    ['accepted', conversation(['src/a.js']), [], 'Edited src/a.js (accepted)'],
    ['rejected', conversation([]), [], 'Edited src/a.js (rejected)'],
    ['rejected, no checkpoint', undefined, [], 'Edited src/a.js (rejected)'],
    ['undone after accepting', conversation(['src/a.js'], true), [], 'Edited src/a.js (undone)'],
    ['undone while staged', conversation([], true), [], 'Edited src/a.js (undone)'],
    ['staged by another turn only', conversation([]), [{ path: 'src/a.js', kind: 'edit' as const, turnIds: ['2'] }], 'Edited src/a.js (rejected)'],
  ])('%s', (_, c, s, label) => {
    expect(resultLabel(edit, '1', c, s)).toBe(label)
  })
  test('an edit applied at once says nothing more until it is undone; reads and failures keep their summary', () => {
    const applied = { ...edit, summary: 'Edited src/a.js' }
    expect(resultLabel(applied, '1', conversation(['src/a.js']), [])).toBe('Edited src/a.js')
    expect(resultLabel(applied, '1', conversation(['src/a.js'], true), [])).toBe('Edited src/a.js (undone)')
    expect(resultLabel({ ...edit, is_error: true, summary: 'No such file' }, '1', conversation([], true), [])).toBe('No such file')
    expect(resultLabel({ ...edit, name: 'read_file', summary: 'Read src/a.js' }, '1', conversation([], true), [])).toBe('Read src/a.js')
    expect(resultLabel({ ...edit, name: 'create_file', summary: 'Created b.js (staged)', path: 'b.js' }, '1', conversation(['b.js']), [])).toBe('Created b.js (accepted)')
  })
})

test('a command waiting for the person says so instead of "Running"', () => {
  const call = { type: 'tool_use' as const, id: 't', name: 'run_command' as const, input: { command: 'npm test' } }
  expect(toolLabel(call, true)).toBe('Waiting for approval: npm test')
  expect(toolLabel(call)).toBe('Running npm test')
})

test('only a plain confirmation fades by itself', () => {
  expect(noticeFades('Undone: 1 file restored.')).toBe(true)
  expect(noticeFades('Undone: 3 files restored.')).toBe(true)
  expect(noticeFades('Undone, except where files changed since:\nsrc/a.js: changed')).toBe(false)
  expect(noticeFades('Could not save the conversation on this device: quota')).toBe(false)
})

test('a call whose answer ended before it ran says so', () => {
  expect(notRunLabel({ type: 'tool_use', id: 'c', name: 'run_command', input: { command: 'npm test' } })).toBe('Not run: npm test')
  expect(notRunLabel({ type: 'tool_use', id: 'e', name: 'edit_file', input: { path: 'a.js', old_text: 'x', new_text: 'y' } })).toBe('Editing a.js: not done')
})
