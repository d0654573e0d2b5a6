import { FILES_MAP, FOLDERS_MAP } from '@slipway/shared'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { Workspace } from './Workspace.ts'

function ws(files: string[] = ['src/a.ts', 'src/b.ts', 'README.md']) {
  const doc = new Y.Doc()
  const map = doc.getMap<Y.Text>(FILES_MAP)
  for (const f of files) map.set(f, new Y.Text(`// ${f}`))
  return new Workspace(doc)
}

test('open adds a tab, activates it and expands its folders; close picks the neighbour', () => {
  const w = ws()
  w.dispatch({ type: 'open', path: 'src/a.ts' })
  w.dispatch({ type: 'open', path: 'src/b.ts' })
  w.dispatch({ type: 'open', path: 'README.md' })
  expect(w.state.openTabs).toEqual(['src/a.ts', 'src/b.ts', 'README.md'])
  expect(w.state.expanded).toContain('src')
  w.dispatch({ type: 'open', path: 'src/b.ts' })
  w.dispatch({ type: 'close', path: 'src/b.ts' })
  expect(w.state.activeTab).toBe('README.md')
  w.dispatch({ type: 'move-tab', path: 'README.md', toIndex: 0 })
  expect(w.state.openTabs).toEqual(['README.md', 'src/a.ts'])
  expect(w.dispatch({ type: 'open', path: 'nope' })).toEqual({ ok: false, message: 'nope does not exist' })
})

test('create, rename a folder, delete: the tree and tabs follow, text survives', () => {
  const w = ws()
  expect(w.dispatch({ type: 'create-file', path: 'src/new.ts', contents: 'x' })).toEqual({ ok: true })
  expect(w.state.activeTab).toBe('src/new.ts')
  expect(w.dispatch({ type: 'create-file', path: 'src/new.ts' }).ok).toBe(false)
  expect(w.dispatch({ type: 'create-file', path: '../evil' }).ok).toBe(false)
  expect(w.dispatch({ type: 'create-file', path: 'README.md/x' }).ok).toBe(false)
  expect(w.dispatch({ type: 'move', from: 'src', to: 'lib/src' })).toEqual({ ok: true })
  expect(w.state.paths).toEqual(['README.md', 'lib/src/a.ts', 'lib/src/b.ts', 'lib/src/new.ts'])
  expect(w.state.activeTab).toBe('lib/src/new.ts')
  expect(w.text('lib/src/new.ts')?.toString()).toBe('x')
  w.dispatch({ type: 'delete', path: 'lib' })
  expect(w.state.paths).toEqual(['README.md'])
  expect(w.state.openTabs).toEqual([])
})

test('an empty folder shows in the tree; files deleted elsewhere close their tabs', () => {
  const w = ws()
  w.dispatch({ type: 'create-folder', path: 'assets' })
  expect(w.state.tree.children.map((c) => c.name)).toEqual(['assets', 'src', 'README.md'])
  w.dispatch({ type: 'open', path: 'README.md' })
  w.doc.getMap(FILES_MAP).delete('README.md')
  expect(w.state.openTabs).toEqual([])
  expect(w.state.activeTab).toBeUndefined()
})

test('an empty folder is part of the project: it is in the doc, so it outlives a reload and reaches other devices', () => {
  const w = ws()
  w.dispatch({ type: 'create-folder', path: 'assets/icons' })
  expect(w.doc.getMap(FOLDERS_MAP).get('assets/icons')).toBe(true)
  // Another device (or this one after a reload) builds its workspace from the doc alone.
  const other = new Y.Doc()
  Y.applyUpdate(other, Y.encodeStateAsUpdate(w.doc))
  const reloaded = new Workspace(other)
  expect(reloaded.state.tree.children.map((c) => c.name)).toContain('assets')
  expect(reloaded.state.extraFolders).toEqual(['assets/icons'])
  expect(reloaded.dispatch({ type: 'create-folder', path: 'assets/icons' })).toEqual({ ok: false, message: 'assets/icons already exists' })
})

test('moving or deleting a folder takes its empty folders with it, in one transaction with its files', () => {
  const w = ws()
  w.dispatch({ type: 'create-folder', path: 'src/empty' })
  w.dispatch({ type: 'create-folder', path: 'src/deep/er' })
  let transactions = 0
  w.doc.on('afterTransaction', () => transactions++)
  expect(w.dispatch({ type: 'move', from: 'src', to: 'lib' })).toEqual({ ok: true })
  expect(transactions).toBe(1)
  expect([...w.doc.getMap(FOLDERS_MAP).keys()].sort()).toEqual(['lib/deep/er', 'lib/empty'])
  w.dispatch({ type: 'delete', path: 'lib' })
  expect([...w.doc.getMap(FOLDERS_MAP).keys()]).toEqual([])
  expect(w.state.tree.children.map((c) => c.name)).toEqual(['README.md'])
})
