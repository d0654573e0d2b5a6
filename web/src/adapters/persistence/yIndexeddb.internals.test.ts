import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, expect, test } from 'vitest'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import * as Y from 'yjs'

// DocPersistence takes over y-indexeddb's per-edit write by unhooking the provider's own update listener, the
// private `_storeUpdate`. y-indexeddb is pinned exactly (web/package.json); if an upgrade renames or re-wires that
// listener, these tests fail here, naming it, instead of every edit being written twice.
const installed = (createRequire(import.meta.url)('y-indexeddb/package.json') as { version: string }).version
const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }

let n = 0
const providers: IndexeddbPersistence[] = []
afterEach(async () => {
  for (const p of providers.splice(0)) await p.destroy()
})

async function rows(name: string): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve) => {
    const req = indexedDB.open(name)
    req.onsuccess = () => resolve(req.result)
  })
  const count = await new Promise<number>((resolve) => {
    const req = db.transaction('updates').objectStore('updates').count()
    req.onsuccess = () => resolve(req.result)
  })
  db.close()
  return count
}

async function opened() {
  const name = `yidb-internals-${process.pid}-${++n}`
  const doc = new Y.Doc()
  const provider = new IndexeddbPersistence(name, doc)
  providers.push(provider)
  await provider.whenSynced
  return { name, doc, provider }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

test('y-indexeddb and yjs are pinned to the exact versions checked here', () => {
  expect(manifest.dependencies['y-indexeddb'], 'web/package.json must pin y-indexeddb exactly: DocPersistence uses its _storeUpdate').toBe(installed)
  expect(manifest.dependencies.yjs).toMatch(/^\d+\.\d+\.\d+$/)
})

test(`y-indexeddb ${installed}: _storeUpdate is the provider's doc update listener, and unhooking it stops its writes`, async () => {
  const { name, doc, provider } = await opened()
  expect(provider._storeUpdate, `y-indexeddb ${installed} has no _storeUpdate function`).toBeTypeOf('function')
  const loaded = await rows(name)
  doc.getText('t').insert(0, 'a')
  await settle()
  expect(await rows(name), '_storeUpdate writes one row per edit').toBe(loaded + 1)
  doc.off('update', provider._storeUpdate)
  doc.getText('t').insert(0, 'b')
  await settle()
  expect(await rows(name), `doc.off('update', _storeUpdate) no longer stops y-indexeddb ${installed} writing edits`).toBe(loaded + 1)
})

test(`y-indexeddb ${installed}: storeState(provider, true) leaves one row, the whole doc`, async () => {
  const { name, doc, provider } = await opened()
  for (const ch of 'hello') doc.getText('t').insert(doc.getText('t').length, ch)
  await settle()
  await storeState(provider, true)
  await settle()
  expect(await rows(name)).toBe(1)
  const again = new Y.Doc()
  const reader = new IndexeddbPersistence(name, again)
  providers.push(reader)
  await reader.whenSynced
  expect(again.getText('t').toString()).toBe('hello')
})
