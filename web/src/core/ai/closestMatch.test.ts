import { describe, expect, test } from 'vitest'
import { closestMatch, lineAt, occurrences } from './closestMatch.ts'

const FILE = [
  'import express from "express"',
  '',
  'const app = express()',
  '',
  'app.get("/", (req, res) => {',
  '  res.send("Hello")',
  '})',
  '',
  'app.listen(3000, () => {',
  '  console.log("listening on 3000")',
  '})',
  '',
].join('\n')

describe('closestMatch', () => {
  test('finds the region that differs only in indentation', () => {
    expect(closestMatch(FILE, 'app.get("/", (req, res) => {\n    res.send("Hello")\n})')).toEqual({ startLine: 5, endLine: 7, similarity: 1, whitespaceOnly: true })
  })

  test('finds the most similar lines when a word differs', () => {
    const m = closestMatch(FILE, 'app.listen(8080, () => {\n  console.log("listening on 8080")\n})\n')
    expect(m).toMatchObject({ startLine: 9, endLine: 11, whitespaceOnly: false })
    expect(m!.similarity).toBeGreaterThan(0.8)
  })

  test('a stale single line points at the line it became', () => {
    expect(closestMatch(FILE, '  res.send("Hello, world")')).toMatchObject({ startLine: 6, endLine: 6 })
  })

  test('nothing similar: undefined', () => {
    expect(closestMatch(FILE, 'SELECT * FROM users WHERE id = 1')).toBeUndefined()
  })

  test('a needle longer than the file compares against the whole file', () => {
    expect(closestMatch('a\nb', 'a\nb\nc\nd')).toMatchObject({ startLine: 1, endLine: 2 })
  })

  test('stays fast on a large file and a long needle', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `  const value${i} = compute(${i}, "some text here")`).join('\n')
    const needle = Array.from({ length: 300 }, (_, i) => `  const value${i + 12_000} = compute(${i + 12_000}, "some text there")`).join('\n')
    const started = performance.now()
    expect(closestMatch(big, needle)).toMatchObject({ startLine: 12_001 })
    // Generous: this guards against quadratic blow-ups, not a budget.
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

test('occurrences counts overlapping matches, up to max', () => {
  expect(occurrences('aaa', 'aa')).toEqual([0, 1])
  expect(occurrences('abcabcabc', 'abc', 5)).toEqual([0, 3, 6])
  expect(occurrences('abc', 'x')).toEqual([])
})

test('lineAt gives the 1-based line of an offset', () => {
  expect(lineAt('a\nb\nc', 0)).toBe(1)
  expect(lineAt('a\nb\nc', 2)).toBe(2)
  expect(lineAt('a\nb\nc', 4)).toBe(3)
})
