import { describe, expect, it } from 'vitest'
import { countProblems, describeCounts, groupProblems, matchesFilter, positionAt, type Problem } from './problems.ts'

const p = (path: string, severity: Problem['severity'], line: number, column = 1, message = `m${line}`, code?: string): Problem => ({
  path,
  severity,
  line,
  column,
  message,
  code,
  source: code ? 'ts' : undefined,
})

const shape = (problems: Problem[], filter?: string) =>
  groupProblems(problems, filter).groups.map((g) => [g.path, g.problems.map((x) => `${x.severity[0]}${x.line}:${x.column}`)])

describe('groupProblems', () => {
  it.each<[string, Problem[], string | undefined, unknown]>([
    ['nothing', [], undefined, []],
    ['one file, sorted errors first then by line', [p('a.ts', 'warning', 1), p('a.ts', 'error', 9), p('a.ts', 'error', 3)], undefined, [['a.ts', ['e3:1', 'e9:1', 'w1:1']]]],
    ['same line by column', [p('a.ts', 'error', 2, 9), p('a.ts', 'error', 2, 4)], undefined, [['a.ts', ['e2:4', 'e2:9']]]],
    ['info after warning', [p('a.ts', 'info', 1), p('a.ts', 'warning', 5)], undefined, [['a.ts', ['w5:1', 'i1:1']]]],
    [
      'files with errors before files with only warnings, then by path',
      [p('z.ts', 'error', 1), p('a.ts', 'warning', 1), p('m.ts', 'error', 4), p('b.json', 'info', 2)],
      undefined,
      [
        ['m.ts', ['e4:1']],
        ['z.ts', ['e1:1']],
        ['a.ts', ['w1:1']],
        ['b.json', ['i2:1']],
      ],
    ],
    [
      'files in the tree order: folders first, numbers in natural order',
      [p('src/mod10.ts', 'error', 1), p('index.ts', 'error', 1), p('src/mod2.ts', 'error', 1)],
      undefined,
      [
        ['src/mod2.ts', ['e1:1']],
        ['src/mod10.ts', ['e1:1']],
        ['index.ts', ['e1:1']],
      ],
    ],
    ['filter drops files with nothing left', [p('a.ts', 'error', 1, 1, 'Cannot find name'), p('b.ts', 'error', 2, 1, 'Type mismatch')], 'cannot', [['a.ts', ['e1:1']]]],
    ['filter by path', [p('src/a.ts', 'error', 1), p('lib/b.ts', 'error', 1)], 'src/', [['src/a.ts', ['e1:1']]]],
    ['filter by code in TS form', [p('a.ts', 'error', 1, 1, 'x', '2322'), p('a.ts', 'error', 2, 1, 'y', '2304')], 'ts2304', [['a.ts', ['e2:1']]]],
    ['exclusion with !', [p('a.ts', 'error', 1, 1, 'unused'), p('a.ts', 'warning', 2, 1, 'other')], '!unused', [['a.ts', ['w2:1']]]],
    ['every word must match', [p('a.ts', 'error', 1, 1, 'Cannot find name foo'), p('a.ts', 'error', 2, 1, 'Cannot assign')], 'cannot foo', [['a.ts', ['e1:1']]]],
    ['filter by severity', [p('a.ts', 'error', 1), p('a.ts', 'warning', 2)], 'warning', [['a.ts', ['w2:1']]]],
  ])('%s', (_, problems, filter, expected) => {
    expect(shape(problems, filter)).toEqual(expected)
  })

  it('counts shown and total, and per file', () => {
    const r = groupProblems([p('a.ts', 'error', 1, 1, 'foo'), p('a.ts', 'warning', 2, 1, 'foo'), p('b.ts', 'error', 1, 1, 'bar')], 'foo')
    expect(r.shown).toBe(2)
    expect(r.total).toBe(3)
    expect(r.groups[0]!.counts).toEqual({ errors: 1, warnings: 1, infos: 0 })
  })

  it('does not reorder its input', () => {
    const input = [p('a.ts', 'warning', 1), p('a.ts', 'error', 2)]
    groupProblems(input)
    expect(input.map((x) => x.line)).toEqual([1, 2])
  })
})

describe('matchesFilter', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['!', true],
    ['TYPE', true],
    ['ts(2322)', true],
    ['2322', true],
    ['main.ts', true],
    ['!main', false],
    ['nope', false],
  ])('%j → %s', (filter, expected) => {
    expect(matchesFilter(p('src/main.ts', 'error', 3, 1, "Type 'string' is not assignable", '2322'), filter)).toBe(expected)
  })
})

describe('describeCounts', () => {
  it.each([
    [[], 'No problems'],
    [[p('a', 'error', 1)], '1 error'],
    [[p('a', 'error', 1), p('a', 'error', 2), p('a', 'warning', 3)], '2 errors, 1 warning'],
    [[p('a', 'warning', 1), p('a', 'warning', 1)], '2 warnings'],
    [[p('a', 'info', 1), p('a', 'info', 1)], '2 info'],
  ] as const)('%#', (problems, text) => {
    expect(describeCounts(countProblems(problems))).toBe(text)
  })
})

describe('positionAt', () => {
  it.each([
    ['', 0, 1, 1],
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['abc', 3, 1, 4],
    ['abc', 99, 1, 4],
    ['ab\ncd', 3, 2, 1],
    ['ab\ncd', 2, 1, 3],
    ['ab\r\ncd', 4, 2, 1],
    ['a\n\n\nb', 4, 4, 1],
    ['x', -5, 1, 1],
  ] as const)('%j @ %i → %i:%i', (text, offset, line, column) => {
    expect(positionAt(text, offset)).toEqual({ line, column })
  })
})
