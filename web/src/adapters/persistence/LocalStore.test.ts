import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { expect, test } from 'vitest'
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

test('rows that do not match the schema are skipped when read, never shown or crashed on', async () => {
  const store = new LocalStore(indexedDB)
  await store.putProject(project('good', '2026-02-01T00:00:00.000Z'))
  const db = await openDB('slipway', 2)
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
