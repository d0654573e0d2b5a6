import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { FILES_MAP } from '@slipway/shared'
import { expect, test } from 'vitest'
import * as Y from 'yjs'

// The server domain reads Yjs internals that its typings expose but its docs do not promise: project-doc.ts walks a
// text's items (`_start`, `right`, `deleted`, `countable`, `content.str`) and reads `store.pendingStructs`/`pendingDs`;
// doc-cache.ts counts `store.clients`; update-layout.ts finds items by id (`getItem`, `getState`, `createID`) and
// walks a map's chain (`_map`, `left`), a type's item (`_item`, `parent`, `parentSub`, `content.type`). yjs is pinned
// to an exact version (server/package.json); each test here names the field that moved, so an upgrade that changes
// one fails loudly instead of refusing or mis-sizing pushes.
const installed = (createRequire(import.meta.url)('yjs/package.json') as { version: string }).version
const pinned = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies.yjs

test('yjs is pinned to the exact version these tests checked', () => {
  expect(pinned, 'server/package.json must pin yjs exactly (no ^ or ~): the domain relies on its internals').toMatch(/^\d+\.\d+\.\d+$/)
  expect(installed).toBe(pinned)
})

test(`yjs ${installed}: a text's items, in order, through _start and right, with deleted, countable and content.str`, () => {
  const doc = new Y.Doc()
  const text = doc.getMap<Y.Text>(FILES_MAP).set('a.txt', new Y.Text())
  text.insert(0, 'abc')
  text.insert(3, 'def')
  text.delete(1, 1)
  const seen: Array<[string, boolean, boolean]> = []
  let item = (text as unknown as { _start: Y.Item | null })._start
  expect(item, '_start is the first item of a Y.Text').toBeInstanceOf(Y.Item)
  for (; item !== null; item = item.right) {
    const str = item.content instanceof Y.ContentString ? item.content.str : item.content.constructor.name
    seen.push([str, item.deleted, item.countable])
  }
  // What textPieces (project-doc.ts) keeps: live, countable items with string content.
  expect(seen, 'items chain through right, with their content, deleted and countable').toEqual([
    ['a', false, true],
    ['ContentDeleted', true, true],
    ['cdef', false, true],
  ])
})

test(`yjs ${installed}: a type's _item has parent and parentSub; a map's _map holds the last item of each key, chained by left`, () => {
  const doc = new Y.Doc()
  const files = doc.getMap<Y.Text>(FILES_MAP)
  files.set('a.txt', new Y.Text('one'))
  const text = files.set('a.txt', new Y.Text('two'))
  const item = text._item
  expect(item, '_item holds a nested type').toBeInstanceOf(Y.Item)
  expect(item!.parent, '_item.parent is the map').toBe(files)
  expect(item!.parentSub, '_item.parentSub is the key').toBe('a.txt')
  expect(files._item, 'a root type has no _item').toBeNull()
  const last = (files as unknown as { _map: Map<string, Y.Item> })._map.get('a.txt')
  expect(last, '_map maps a key to its newest item').toBe(item)
  expect(last!.left, 'the older value of the key is left of it, deleted').toMatchObject({ deleted: true, parentSub: 'a.txt' })
  expect(last!.left!.right).toBe(last)
})

test(`yjs ${installed}: items are found by id in the store; state and clients are per client`, () => {
  const doc = new Y.Doc()
  const text = doc.getMap<Y.Text>(FILES_MAP).set('a.txt', new Y.Text('hi'))
  const id = text._item!.id
  const found = Y.getItem(doc.store, Y.createID(id.client, id.clock))
  expect(found, 'getItem(store, createID(client, clock)) returns the item').toBe(text._item)
  expect((found as Y.Item).content, 'a nested type is held as ContentType').toBeInstanceOf(Y.ContentType)
  expect(((found as Y.Item).content as Y.ContentType).type).toBe(text)
  expect(Y.getState(doc.store, doc.clientID), 'getState is the next clock of a client').toBe(3)
  expect([...doc.store.clients.keys()], 'store.clients lists the structs of each client').toEqual([doc.clientID])
  expect(doc.store.clients.get(doc.clientID)!.length).toBeGreaterThan(0)
})

test(`yjs ${installed}: an update missing what it builds on waits in store.pendingStructs / pendingDs`, () => {
  const a = new Y.Doc()
  const updates: Uint8Array[] = []
  a.on('update', (u: Uint8Array) => updates.push(u))
  const text = a.getMap<Y.Text>(FILES_MAP).set('a.txt', new Y.Text('x'))
  text.insert(1, 'y')
  text.delete(0, 1)
  const b = new Y.Doc()
  expect(b.store.pendingStructs, 'nothing pending in a fresh doc').toBeNull()
  expect(b.store.pendingDs).toBeNull()
  Y.applyUpdate(b, updates[1]!)
  expect(b.store.pendingStructs, 'a struct whose origin is missing waits in pendingStructs').not.toBeNull()
  const c = new Y.Doc()
  Y.applyUpdate(c, updates[2]!)
  expect(c.store.pendingDs, 'a deletion of missing content waits in pendingDs').not.toBeNull()
})
