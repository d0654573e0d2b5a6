import { describe, expect, test } from 'vitest'
import { closestMatch, lineAt, occurrences, PARTIAL_WINDOW_BUDGET } from './closestMatch.ts'

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

  const LONG = [
    'import { readFile } from "node:fs/promises"',
    '',
    'export async function loadConfig(path) {',
    '  const config = JSON.parse(await readFile(path, "utf8")); const port = Number(config.port ?? process.env.PORT ?? 3000); return { ...config, port, host: config.host ?? "127.0.0.1" }',
    '}',
    '',
    'export const retries = (attempts, delayMs) => Array.from({ length: attempts }, (_, i) => delayMs * 2 ** i)',
    '',
  ].join('\n')

  test('a typo inside a long line points at that line', () => {
    // The whole line, two characters off ("Numbr", "proces").
    const m = closestMatch(LONG, '  const config = JSON.parse(await readFile(path, "utf8")); const port = Numbr(config.port ?? proces.env.PORT ?? 3000); return { ...config, port, host: config.host ?? "127.0.0.1" }')
    expect(m).toMatchObject({ startLine: 4, endLine: 4, whitespaceOnly: false })
    // Only the statement in the middle of it, with the same typos: as a whole line it is less than 40% alike.
    const typo = closestMatch(LONG, 'const port = Numbr(config.port ?? proces.env.PORT ?? 3000)')
    expect(typo).toMatchObject({ startLine: 4, endLine: 4 })
    expect(typo!.similarity).toBeGreaterThan(0.9)
  })

  test('old text that is a fragment of a long line, slightly off, points at that line', () => {
    expect(closestMatch(LONG, 'host: config.hostname ?? "127.0.0.1"')).toMatchObject({ startLine: 4, endLine: 4 })
    expect(closestMatch(LONG, '(_, i) => delayMs * 3 ** i')).toMatchObject({ startLine: 7, endLine: 7 })
  })

  test('a multi-line near-miss that starts and ends inside long lines', () => {
    const handler = [
      'const a = 1',
      'export function handler(req, res) { const user = req.session?.user; if (!user) return res.status(401).json({ error: "sign in first" }); const id = req.params.id',
      '  const item = await db.items.findOne({ where: { id, ownerId: user.id } }); if (!item) return res.status(404).json({ error: "not found" }); res.json(item) }',
      'const b = 2',
    ].join('\n')
    // The end of line 2 and the start of line 3, with the error message misremembered: each is a third of its line.
    const m = closestMatch(handler, 'error: "sign in, please" }); const id = req.params.id\n  const item = await db.items.findOne({ where: { id,')
    expect(m).toMatchObject({ startLine: 2, endLine: 3, whitespaceOnly: false })
    expect(m!.similarity).toBeGreaterThan(0.8)
  })

  test('a short fragment (under 10 characters) or an unrelated one is not found inside lines', () => {
    expect(closestMatch(LONG, 'port ?? 8')).toBeUndefined()
    expect(closestMatch(LONG, 'SELECT name FROM users WHERE id = $1')).toBeUndefined()
  })

  test('partial-line scoring stays within its budget on a huge file of long lines, and still finds whole-line near-misses', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `  registry.register("item-${i}", { weight: ${i * 7}, label: "Item number ${i}", tags: ["alpha", "beta", "gamma"], enabled: ${i % 2 === 0} })`).join('\n')
    // A fragment far down the file: the budget runs out before it, so the search stops looking inside lines.
    const stats = { windows: 0 }
    closestMatch(big, 'label: "Item numbr 19990", tags: ["alpha", "beta"', { stats })
    expect(stats.windows).toBeGreaterThan(0)
    expect(stats.windows).toBeLessThanOrEqual(PARTIAL_WINDOW_BUDGET)
    // Within a budget that reaches it, the same fragment is found.
    const small = big.split('\n').slice(19_900).join('\n')
    expect(closestMatch(small, 'label: "Item numbr 19990", tags: ["alpha", "beta"')).toMatchObject({ startLine: 91, endLine: 91 })
    // A whole line slightly off is found anywhere, whatever the budget.
    const whole = { windows: 0 }
    expect(closestMatch(big, '  registry.register("item-19990", { weight: 139930, label: "Item numbr 19990", tags: ["alpha", "beta", "gamma"], enabled: true })', { stats: whole })).toMatchObject({ startLine: 19_991 })
    expect(whole.windows).toBeLessThanOrEqual(PARTIAL_WINDOW_BUDGET)
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
