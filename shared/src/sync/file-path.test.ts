import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { filePathOf } from './file-path.ts'
import { FILES_MAP } from './index.ts'

// `filePathOf` walks Yjs internals (`_item`, `parent`, `parentSub`). These tests use the real Yjs that web and
// server pin; if one fails after a Yjs upgrade, the internals changed: fix `filePathOf` before moving the pin.
const yjsVersion = (createRequire(import.meta.url)('yjs/package.json') as { version: string }).version

function projectDoc() {
  const doc = new Y.Doc()
  const files = doc.getMap<unknown>(FILES_MAP)
  const text = new Y.Text('hello')
  files.set('src/a.ts', text)
  files.set('logo.png', new Uint8Array([1, 2]))
  return { doc, files, text }
}

test(`yjs ${yjsVersion}: a file's text, an entry of the files map, names its path`, () => {
  const { files, text } = projectDoc()
  expect(filePathOf(text, files), `yjs ${yjsVersion} no longer links a type to its map key through _item.parentSub`).toBe('src/a.ts')
})

test(`yjs ${yjsVersion}: a type nested inside a file (not a valid layout, still found) names that file's path`, () => {
  const { files } = projectDoc()
  const outer = new Y.Map<unknown>()
  files.set('weird.json', outer)
  const inner = new Y.Text('x')
  outer.set('k', inner)
  expect(filePathOf(inner, files), `yjs ${yjsVersion} no longer links an item to its parent type through _item.parent`).toBe('weird.json')
})

test(`yjs ${yjsVersion}: the files map itself, another root type, and a type not in any doc have no path`, () => {
  const { doc, files } = projectDoc()
  expect(filePathOf(files, files)).toBeUndefined()
  expect(filePathOf(doc.getText('notes'), files)).toBeUndefined()
  expect(filePathOf(new Y.Text('loose'), files)).toBeUndefined()
})

test('the path found from transaction events and from a transaction\'s changed types', () => {
  const { doc, files, text } = projectDoc()
  const fromEvents: Array<string | undefined> = []
  const fromChanged: Array<string | undefined> = []
  files.observeDeep((events) => {
    for (const e of events) if (e.target !== files) fromEvents.push(filePathOf(e.target, files))
  })
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) if (type !== (files as unknown)) fromChanged.push(filePathOf(type, files))
  })
  text.insert(0, 'x')
  expect(fromEvents).toEqual(['src/a.ts'])
  expect(fromChanged).toEqual(['src/a.ts'])
})

test('every package that walks these internals pins yjs to the exact version tested here', () => {
  for (const pkg of ['../../../web/package.json', '../../../server/package.json', '../../package.json']) {
    const manifest = JSON.parse(readFileSync(new URL(pkg, import.meta.url), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
    const spec = manifest.dependencies?.yjs ?? manifest.devDependencies?.yjs
    expect([pkg, spec]).toEqual([pkg, yjsVersion])
  }
})
