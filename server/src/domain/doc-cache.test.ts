import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { DocCache, docMemory } from './doc-cache.ts'

const docOf = (chars: number) => {
  const doc = new Y.Doc()
  doc.getMap('files').set('a.txt', new Y.Text('x'.repeat(chars)))
  return doc
}

test('the cache is bounded by bytes as well as by count: the least recently put docs go first, destroyed', () => {
  const cost = docMemory(docOf(1000), 1000)
  const cache = new DocCache(64, cost * 3)
  const docs = [0, 1, 2, 3].map(() => docOf(1000))
  let destroyed = 0
  for (const d of docs) d.on('destroy', () => destroyed++)
  docs.forEach((d, i) => cache.put(`p${i}`, d, 1, 1000))
  expect(cache.bytes).toBe(cost * 3)
  expect(cache.peek('p0', 1)).toBeUndefined()
  expect(destroyed).toBe(1)
  expect(cache.peek('p3', 1)).toBe(docs[3])
  // Taking a doc out and dropping one free their bytes.
  cache.take('p3')
  cache.drop('p2')
  expect(cache.bytes).toBe(cost)
})

test('a doc bigger than the whole budget is not kept, and not destroyed under its caller', () => {
  const cache = new DocCache(64, 10_000)
  const big = docOf(50_000)
  cache.put('big', big, 1, 50_000)
  expect(cache.peek('big', 1)).toBeUndefined()
  expect(cache.bytes).toBe(0)
  expect((big.getMap('files').get('a.txt') as Y.Text).length).toBe(50_000)
})

test('many small edits cost more than their encoding: the charge counts structs', () => {
  const doc = docOf(10_000)
  const t = doc.getMap('files').get('a.txt') as Y.Text
  for (let i = 0; i < 1000; i++) t.insert(i * 5, 'y')
  const encoded = Y.encodeStateAsUpdate(doc).byteLength
  expect(docMemory(doc, encoded)).toBeGreaterThan(encoded * 10)
})
