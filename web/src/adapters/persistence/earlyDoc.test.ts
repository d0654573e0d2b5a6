import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DocPersistence } from './DocPersistence.ts'
import type { PreloadedDoc } from './DocPersistence.ts'
import { earlyDocRead } from './earlyDoc.ts'
import { docDbName, LocalStore } from './LocalStore.ts'

// public/early-doc.js as the page runs it: a classic script, before any module, with `location` and `window`.
const script = readFileSync(new URL('../../../public/early-doc.js', import.meta.url), 'utf8')
function runEarlyScript(pathname: string): Record<string, unknown> {
  const window: Record<string, unknown> = {}
  new Function('window', 'location', 'indexedDB', script)(window, { pathname }, indexedDB)
  return window
}

let n = 0
const freshId = () => `early-${process.pid}-${++n}`
const opened: DocPersistence[] = []
afterEach(async () => {
  for (const p of opened.splice(0)) await p.destroy()
})
const dbNames = async () => (await indexedDB.databases()).map((d) => d.name)

/// A project stored the way the app stores it: the doc written by DocPersistence, edit by edit.
async function storeProject(id: string, text: string) {
  const doc = new Y.Doc()
  let stored = 0
  const p = await DocPersistence.open(docDbName(id), doc, { channel: null, onStored: () => stored++ })
  const files = doc.getMap<Y.Text>('files')
  const t = new Y.Text()
  files.set('index.js', t)
  for (const ch of text) t.insert(t.length, ch)
  while (stored < text.length + 1) await new Promise((r) => setTimeout(r, 5))
  await p.destroy()
}

async function rows(name: string): Promise<Uint8Array[]> {
  const req = indexedDB.open(name)
  const db = await new Promise<IDBDatabase>((resolve) => (req.onsuccess = () => resolve(req.result)))
  const all = db.transaction(['updates']).objectStore('updates').getAll()
  const result = await new Promise<Uint8Array[]>((resolve) => (all.onsuccess = () => resolve(all.result as Uint8Array[])))
  db.close()
  return result
}

test('on a project URL the page reads that project from the store before the app runs, and the app opens it from that read', async () => {
  const id = freshId()
  await storeProject(id, 'hello')
  const window = runEarlyScript(`/p/${id}`)
  const early = earlyDocRead(window, id)
  expect(early).toBeDefined()
  const read = await early!
  expect(read?.updates.length).toBeGreaterThan(0)

  const before = (await rows(docDbName(id))).length
  const doc = new Y.Doc()
  opened.push(await DocPersistence.open(docDbName(id), doc, { channel: null }, early))
  expect(doc.getMap<Y.Text>('files').get('index.js')?.toString()).toBe('hello')
  // Opening wrote one tiny row (y-indexeddb's load marker), not a copy of the project.
  const after = await rows(docDbName(id))
  expect(after.length).toBe(before + 1)
  expect(after.at(-1)!.byteLength).toBeLessThan(8)
})

test('what another tab stores after the early read is loaded too, and nothing twice', async () => {
  const id = freshId()
  await storeProject(id, 'abc')
  const early = earlyDocRead(runEarlyScript(`/p/${id}`), id)!
  await early
  // Another tab types after this page read the store, before the app opened it.
  const other = new Y.Doc()
  let stored = 0
  const otherStore = await DocPersistence.open(docDbName(id), other, { channel: null, onStored: () => stored++ })
  other.getMap<Y.Text>('files').get('index.js')!.insert(3, 'def')
  while (stored < 1) await new Promise((r) => setTimeout(r, 5))
  await otherStore.destroy()

  const doc = new Y.Doc()
  opened.push(await DocPersistence.open(docDbName(id), doc, { channel: null }, early))
  expect(doc.getMap<Y.Text>('files').get('index.js')?.toString()).toBe('abcdef')
  // The page's own edits still go to the store.
  doc.getMap<Y.Text>('files').get('index.js')!.insert(0, '>')
  await opened.pop()!.destroy()
  const again = new Y.Doc()
  opened.push(await DocPersistence.open(docDbName(id), again, { channel: null }))
  expect(again.getMap<Y.Text>('files').get('index.js')?.toString()).toBe('>abcdef')
})

test('an unknown project id, or any other page, creates no database and hands the app nothing', async () => {
  const id = freshId()
  const window = runEarlyScript(`/p/${id}`)
  expect(await earlyDocRead(window, id)).toBeNull()
  expect(await dbNames()).not.toContain(docDbName(id))
  for (const path of ['/', '/signin', `/p/${id}/x`, '/p/..%2Fetc', `/p/${'a'.repeat(65)}`]) {
    expect(runEarlyScript(path).__slipwayEarlyDoc).toBeUndefined()
  }
  // A read started for another project is not used for this one; a malformed hand-over is ignored.
  expect(earlyDocRead(runEarlyScript(`/p/${id}`), 'someone-else')).toBeUndefined()
  expect(await earlyDocRead({ __slipwayEarlyDoc: { name: docDbName(id), result: Promise.resolve({ updates: ['x'], lastKey: 1 }) } }, id)).toBeNull()
  expect(earlyDocRead({ __slipwayEarlyDoc: 'nope' }, id)).toBeUndefined()
})

test('LocalStore opens a preloaded project without looking it up, and a project it does not know stays unread', async () => {
  const known = freshId()
  await storeProject(known, 'xyz')
  const store = new LocalStore(indexedDB)
  const early = earlyDocRead(runEarlyScript(`/p/${known}`), known)
  store.prefetchDoc(known, early)
  // The workbench takes the doc the prefetch opened: the content is there.
  const handle = store.acquireDoc(known)
  const { doc } = await handle.opened
  expect(doc.getMap<Y.Text>('files').get('index.js')?.toString()).toBe('xyz')
  handle.release()

  const unknown = freshId()
  store.prefetchDoc(unknown, earlyDocRead(runEarlyScript(`/p/${unknown}`), unknown))
  await new Promise((r) => setTimeout(r, 50))
  expect(await dbNames()).not.toContain(docDbName(unknown))
})

test('a preloaded read that failed is as if there were none', async () => {
  const id = freshId()
  await storeProject(id, 'ok')
  const doc = new Y.Doc()
  const failed: Promise<PreloadedDoc | null> = Promise.reject(new Error('read failed'))
  opened.push(await DocPersistence.open(docDbName(id), doc, { channel: null }, failed))
  expect(doc.getMap<Y.Text>('files').get('index.js')?.toString()).toBe('ok')
})
