import { FILES_MAP } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { ViewSizes } from './doc-cache.ts'
import { applyViewChange, checkPushLimits, pushRefused, viewChange } from './push-limits.ts'
import type { PushLimitsInput, ViewChange } from './push-limits.ts'

const view = (sizes: Record<string, number>, ascii: string[] = []): ViewSizes => ({
  sizes: new Map(Object.entries(sizes)),
  bytes: Object.values(sizes).reduce((a, b) => a + b, 0),
  ascii: new Set(ascii),
})
const change = (upserts: Record<string, number>, deletes: string[] = []): ViewChange => ({
  upserts: Object.entries(upserts).map(([path, size]) => ({ path, size })),
  deletes,
  ascii: new Map(),
})
const quotas = { maxProjectsPerUser: 10, maxProjectHistoryBytes: 1000, maxUserBytes: 5000 }
const limits = { maxFileBytes: 100, maxProjectBytes: 250 }
const input = (over: Partial<PushLimitsInput>): PushLimitsInput => ({
  view: view({ 'a.txt': 50, 'b.txt': 50 }),
  change: change({}),
  push: { bytes: 10, deletesOnly: false },
  stored: { projectLogBytes: 0, userBytes: 0 },
  quotas,
  limits,
  ...over,
})

describe('checkPushLimits', () => {
  test.each<[string, Partial<PushLimitsInput>, unknown]>([
    ['an edit within every limit', { change: change({ 'a.txt': 60 }) }, { ok: true, totals: { count: 2, bytes: 110 } }],
    ['a new file', { change: change({ 'c.txt': 100 }) }, { ok: true, totals: { count: 3, bytes: 200 } }],
    ['a deletion', { change: change({}, ['a.txt']) }, { ok: true, totals: { count: 1, bytes: 50 } }],
    ['one file past its limit', { change: change({ 'a.txt': 10, 'c.txt': 101 }) }, { ok: false, refusal: { limit: 'file_bytes', path: 'c.txt', size: 101, max: 100 } }],
    [
      'the project past its limit',
      { change: change({ 'c.txt': 100, 'd.txt': 100 }) },
      { ok: false, refusal: { limit: 'project_bytes', totals: { count: 4, bytes: 300 }, max: 250 } },
    ],
    ['growing a file past the project limit while deleting another fits', { change: change({ 'a.txt': 100, 'c.txt': 100 }, ['b.txt']) }, { ok: true, totals: { count: 2, bytes: 200 } }],
    [
      "the project's history past its quota",
      { stored: { projectLogBytes: 995, userBytes: 995 } },
      { ok: false, refusal: { limit: 'quota', quota: expect.objectContaining({ quota: 'project_history_bytes', max: 1000, current: 995 }) } },
    ],
    [
      "the account's bytes past its quota",
      { stored: { projectLogBytes: 0, userBytes: 4995 } },
      { ok: false, refusal: { limit: 'quota', quota: expect.objectContaining({ quota: 'user_bytes', max: 5000, current: 4995 }) } },
    ],
    ['a push that only deletes, over every quota', { change: change({}, ['a.txt']), push: { bytes: 10, deletesOnly: true }, stored: { projectLogBytes: 5000, userBytes: 9000 } }, { ok: true, totals: { count: 1, bytes: 50 } }],
  ])('%s', (_name, over, verdict) => {
    expect(checkPushLimits(input(over))).toEqual(verdict)
  })

  test('a file past its limit is refused before the project or the quota is looked at', () => {
    const v = checkPushLimits(input({ change: change({ 'c.txt': 500 }), stored: { projectLogBytes: 5000, userBytes: 9000 } }))
    expect(v).toMatchObject({ ok: false, refusal: { limit: 'file_bytes' } })
  })

  test('changes nothing it is given', () => {
    const i = input({ change: change({ 'a.txt': 60, 'c.txt': 5 }, ['b.txt']) })
    const before = structuredClone(i)
    checkPushLimits(i)
    expect(i).toEqual(before)
  })
})

describe('pushRefused', () => {
  test('answers each refusal with the code, message and details a client sees', () => {
    expect(pushRefused({ limit: 'file_bytes', path: 'x', size: 7, max: 5 })).toMatchObject({ code: 'payload_too_large', message: 'A file holds at most 5 bytes', details: { path: 'x', size: 7 } })
    expect(pushRefused({ limit: 'project_bytes', totals: { count: 2, bytes: 9 }, max: 8 })).toMatchObject({ code: 'payload_too_large', details: { count: 2, bytes: 9 } })
    const quota = { ok: false as const, quota: 'user_bytes' as const, max: 5, current: 5, message: 'full' }
    expect(pushRefused({ limit: 'quota', quota })).toMatchObject({ code: 'quota_exceeded', message: 'full', details: { quota: 'user_bytes', max: 5, current: 5 } })
  })
})

describe('viewChange and applyViewChange', () => {
  test('an all-ASCII file edited with ASCII is sized from the edit; others are measured; gone files are deletions', () => {
    const doc = new Y.Doc()
    const files = doc.getMap<Y.Text | Uint8Array>(FILES_MAP)
    files.set('ascii.txt', new Y.Text('hello world'))
    files.set('bin', new Uint8Array(7))
    files.set('é.txt', new Y.Text('é'))
    const v = view({ 'ascii.txt': 5, 'gone.txt': 3, 'é.txt': 1 }, ['ascii.txt'])
    // ascii.txt: the view says 5 and +6 by the edit (the doc is not read for it).
    const c = viewChange(doc, v, ['ascii.txt', 'bin', 'é.txt', 'gone.txt'], new Map([['ascii.txt', 6], ['é.txt', 1]]))
    expect(c.upserts).toEqual([
      { path: 'ascii.txt', size: 11 },
      { path: 'bin', size: 7 },
      { path: 'é.txt', size: 2 },
    ])
    expect(c.deletes).toEqual(['gone.txt'])
    expect([...c.ascii]).toEqual([['bin', false], ['é.txt', false]])
    const verdict = checkPushLimits(input({ view: v, change: c }))
    if (!verdict.ok) throw new Error('expected to fit')
    applyViewChange(v, c, verdict.totals)
    expect(v).toEqual({ sizes: new Map([['ascii.txt', 11], ['é.txt', 2], ['bin', 7]]), bytes: 20, ascii: new Set(['ascii.txt']) })
  })
})
