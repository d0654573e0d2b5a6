import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { LocalStore } from './LocalStore.ts'

const project = (id: string, updatedAt: string) => ({ id, name: id, template: 'node-script' as const, origin: 'local' as const, createdAt: updatedAt, updatedAt })

test('a store written by the first version upgrades in place: projects and views survive, the sync store appears', async () => {
  // What version 1 of the app left behind.
  const v1 = await openDB('slipway', 1, {
    upgrade(db) {
      db.createObjectStore('projects')
      db.createObjectStore('views')
    },
  })
  await v1.put('projects', project('a', '2026-01-01T00:00:00.000Z'), 'a')
  await v1.put('views', { openTabs: ['index.js'], expanded: [], layout: {}, panes: {} }, 'a')
  v1.close()

  const store = new LocalStore(indexedDB)
  expect((await store.listProjects()).map((p) => p.id)).toEqual(['a'])
  expect((await store.getView('a')).openTabs).toEqual(['index.js'])
  expect(await store.getSyncMeta('a')).toBeUndefined()
  await store.putSyncMeta('a', { serverStateVector: 'AA', waiting: 3 })
  expect(await store.getSyncMeta('a')).toEqual({ serverStateVector: 'AA', waiting: 3 })
  await store.deleteProject('a')
  expect(await store.getSyncMeta('a')).toBeUndefined()
  expect(await store.listProjects()).toEqual([])
})

test('a store written by version 2 upgrades in place: its rows survive, the first-view store appears and goes with the project', async () => {
  indexedDB.deleteDatabase('slipway')
  const v2 = await openDB('slipway', 2, {
    upgrade(db) {
      db.createObjectStore('projects')
      db.createObjectStore('views')
      db.createObjectStore('sync')
    },
  })
  await v2.put('projects', project('b', '2026-01-02T00:00:00.000Z'), 'b')
  await v2.put('sync', { serverStateVector: 'AQ', waiting: 0 }, 'b')
  v2.close()

  const store = new LocalStore(indexedDB)
  expect((await store.listProjects()).map((p) => p.id)).toEqual(['b'])
  expect(await store.getSyncMeta('b')).toEqual({ serverStateVector: 'AQ', waiting: 0 })
  expect(await store.getFirstView('b')).toBeUndefined()
  const view = { v: 1 as const, vw: 1280, vh: 720, theme: 'dark' as const, bg: 'rgb(24, 24, 24)', boxes: [{ x: 0, y: 0, w: 1280, h: 40, bg: 'rgb(31, 31, 31)' }], texts: [] }
  await store.putFirstView('b', view)
  expect(await store.getFirstView('b')).toEqual(view)
  // A record that is not a first view (another version's, a damaged one) reads as none.
  const raw = await openDB('slipway', 3)
  await raw.put('firstView', { v: 1, vw: 'wide' }, 'b')
  raw.close()
  expect(await store.getFirstView('b')).toBeUndefined()
  await store.putFirstView('b', view)
  await store.deleteProject('b')
  expect(await store.getFirstView('b')).toBeUndefined()
})

test('rows that do not match the schema are skipped when read, never shown or crashed on', async () => {
  const store = new LocalStore(indexedDB)
  await store.putProject(project('good', '2026-02-01T00:00:00.000Z'))
  const db = await openDB('slipway', 3)
  await db.put('projects', { id: 'bad', name: 42 }, 'bad')
  await db.put('sync', { serverStateVector: 7 }, 'good')
  await db.put('views', 'not a view', 'good')
  db.close()
  expect((await store.listProjects()).map((p) => p.id)).toEqual(['good'])
  expect(await store.getProject('bad')).toBeUndefined()
  expect(await store.getSyncMeta('good')).toBeUndefined()
  expect(await store.getView('good')).toEqual({ openTabs: [], expanded: [], layout: {}, panes: {} })
  await expect(store.putProject({ ...project('x', 'now'), origin: 'elsewhere' } as never)).rejects.toThrow()
})

test('a project doc is shared by everyone holding it: one load, one Y.Doc, closed only after the last holder lets go', async () => {
  const store = new LocalStore(indexedDB, { channel: null })
  await store.putProject(project('shared', '2026-03-01T00:00:00.000Z'))
  const a = store.acquireDoc('shared')
  const b = store.acquireDoc('shared')
  const [first, second] = await Promise.all([a.opened, b.opened])
  expect(second.doc).toBe(first.doc)
  expect(first.store).toBeDefined()
  const text = new Y.Text()
  first.doc.getMap('files').set('index.js', text)
  text.insert(0, 'typed before leaving')
  a.release()
  // A holder that comes straight back (a React effect running again) gets the same doc, not a second read.
  b.release()
  const again = store.acquireDoc('shared')
  expect((await again.opened).doc).toBe(first.doc)
  again.release()
  await new Promise((r) => setTimeout(r, 1300))
  // Closed after the grace: the next holder reads what was written.
  const later = store.acquireDoc('shared')
  const reopened = await later.opened
  expect(reopened.doc).not.toBe(first.doc)
  expect(String(reopened.doc.getMap('files').get('index.js'))).toBe('typed before leaving')
  later.release()
  await store.deleteProject('shared')
  expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('slipway-doc-shared')
})

test('a project URL reads ahead only projects this browser knows: a mistyped id creates no database', async () => {
  const store = new LocalStore(indexedDB, { channel: null })
  await store.putProject(project('known', '2026-03-02T00:00:00.000Z'))
  store.prefetchDoc('known')
  store.prefetchDoc('nobody-made-this')
  await new Promise((r) => setTimeout(r, 200))
  const names = (await indexedDB.databases()).map((d) => d.name)
  expect(names).toContain('slipway-doc-known')
  expect(names).not.toContain('slipway-doc-nobody-made-this')
  // The workbench takes over the doc read ahead of time.
  const handle = store.acquireDoc('known')
  expect((await handle.opened).store).toBeDefined()
  handle.release()
  await store.deleteProject('known')
})
