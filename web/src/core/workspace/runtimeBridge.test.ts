import { FILES_MAP, FOLDERS_MAP } from '@slipway/shared'
import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { MemoryRuntime } from '../../test/MemoryRuntime.ts'
import { RuntimeBridge } from './runtimeBridge.ts'

const bridges: RuntimeBridge[] = []
afterEach(() => bridges.splice(0).forEach((b) => b.dispose()))

async function setup(files: Record<string, string | Uint8Array> = {}) {
  const doc = new Y.Doc()
  const map = doc.getMap<Y.Text | Uint8Array>(FILES_MAP)
  for (const [p, v] of Object.entries(files)) map.set(p, typeof v === 'string' ? new Y.Text(v) : v)
  const runtime = new MemoryRuntime()
  const problems: string[] = []
  const bridge = new RuntimeBridge(doc, runtime, { debounceMs: 5, maxWaitMs: 20, onProblem: (m) => problems.push(m) })
  bridges.push(bridge)
  return { doc, map, runtime, bridge, problems }
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms))

test('start mounts the doc and removes stale files, keeping ignored folders', async () => {
  const { runtime, bridge } = await setup({ 'src/a.ts': 'a', 'bin.dat': new Uint8Array([0, 1]) })
  runtime.external.writeFile('stale.txt', 'old')
  runtime.external.writeFile('node_modules/x/index.js', 'dep')
  runtime.external.writeFile('.env', 'SECRET=1')
  await bridge.start()
  await bridge.settled()
  expect(runtime.external.text('src/a.ts')).toBe('a')
  expect(runtime.fileData.get('bin.dat')).toEqual(new Uint8Array([0, 1]))
  expect(runtime.fileData.has('stale.txt')).toBe(false)
  expect(runtime.external.text('node_modules/x/index.js')).toBe('dep')
  expect(runtime.external.text('.env')).toBe('SECRET=1')
})

test('doc edits reach the runtime, debounced into one write per file', async () => {
  const { map, runtime, bridge } = await setup({ 'a.txt': '' })
  await bridge.start()
  await bridge.settled()
  runtime.calls.length = 0
  const text = map.get('a.txt') as Y.Text
  for (const ch of 'hello') text.insert(text.length, ch)
  await tick()
  expect(runtime.external.text('a.txt')).toBe('hello')
  expect(runtime.calls.filter((c) => c === 'writeFile a.txt')).toHaveLength(1)
  map.delete('a.txt')
  await tick()
  expect(runtime.fileData.has('a.txt')).toBe(false)
})

test('programs writing in the runtime update the doc as minimal splices, without echo', async () => {
  const { doc, map, runtime, bridge } = await setup({ 'a.txt': 'line one\nline two\n' })
  await bridge.start()
  await bridge.settled()
  const deltas: unknown[] = []
  ;(map.get('a.txt') as Y.Text).observe((e) => deltas.push(e.delta))
  runtime.calls.length = 0
  runtime.external.writeFile('a.txt', 'line one\nline 2\n')
  runtime.external.writeFile('gen/out.json', '{}')
  runtime.external.writeFile('img.png', new Uint8Array([137, 80, 0, 71]))
  runtime.external.writeFile('node_modules/dep/x.js', 'ignored')
  await tick()
  await bridge.settled()
  expect((map.get('a.txt') as Y.Text).toString()).toBe('line one\nline 2\n')
  expect(deltas).toEqual([[{ retain: 14 }, { delete: 3 }, { insert: '2' }]])
  expect((map.get('gen/out.json') as Y.Text).toString()).toBe('{}')
  expect(map.get('img.png')).toEqual(new Uint8Array([137, 80, 0, 71]))
  expect(map.has('node_modules/dep/x.js')).toBe(false)
  await tick()
  // Nothing the runtime wrote was written back to it.
  expect(runtime.calls.filter((c) => c.startsWith('writeFile'))).toEqual([])
  expect(doc.getMap(FILES_MAP).size).toBe(3)
})

test('a folder deleted in the runtime leaves the doc; a new folder of files arrives', async () => {
  const { map, runtime, bridge } = await setup({ 'src/a.ts': 'a', 'src/b.ts': 'b', 'keep.txt': 'k' })
  await bridge.start()
  await bridge.settled()
  runtime.external.rm('src')
  await runtime.mount({ lib: { directory: { 'x.ts': { file: { contents: 'x' } }, deep: { directory: { 'y.ts': { file: { contents: 'y' } } } } } } })
  await tick()
  await bridge.settled()
  expect([...map.keys()].sort()).toEqual(['keep.txt', 'lib/deep/y.ts', 'lib/x.ts'])
})

test('a program changing the place an unwritten doc edit changed: the doc edit is kept, and the person told', async () => {
  const { map, runtime, bridge, problems } = await setup({ 'a.txt': 'base' })
  await bridge.start()
  await bridge.settled()
  ;(map.get('a.txt') as Y.Text).insert(4, ' + typed')
  runtime.external.writeFile('a.txt', 'base (tool)')
  await tick()
  await bridge.settled()
  expect((map.get('a.txt') as Y.Text).toString()).toBe('base + typed')
  expect(runtime.external.text('a.txt')).toBe('base + typed')
  expect(problems).toEqual([expect.stringMatching(/^a\.txt was changed in the runtime .*your edit was kept/)])
})

test('a program (a formatter) changing a file elsewhere while the person types: both changes are kept', async () => {
  const { map, runtime, bridge, problems } = await setup({ 'a.js': 'let a = 1\nlet b = 2\n' })
  await bridge.start()
  await bridge.settled()
  const text = map.get('a.js') as Y.Text
  // Typed, not written yet (the debounce is running) when the formatter's write is seen.
  text.insert(text.length, 'b++')
  runtime.external.writeFile('a.js', 'let a = 1;\nlet b = 2;\n')
  text.insert(text.length, '\n')
  await tick()
  await bridge.settled()
  expect(text.toString()).toBe('let a = 1;\nlet b = 2;\nb++\n')
  expect(runtime.external.text('a.js')).toBe('let a = 1;\nlet b = 2;\nb++\n')
  expect(problems).toEqual([])
})

test('the same change made by a program and in the doc lands once', async () => {
  const { map, runtime, bridge, problems } = await setup({ 'a.js': 'a\n' })
  await bridge.start()
  await bridge.settled()
  const text = map.get('a.js') as Y.Text
  text.insert(2, 'b\n')
  runtime.external.writeFile('a.js', 'a\nb\n')
  await tick()
  await bridge.settled()
  expect(text.toString()).toBe('a\nb\n')
  expect(runtime.external.text('a.js')).toBe('a\nb\n')
  expect(problems).toEqual([])
})

test('a program change is taken relative to what the runtime held, not to the doc: a doc edit from sync is not undone', async () => {
  const { map, runtime, bridge } = await setup({ 'a.txt': 'one\ntwo\n' })
  await bridge.start()
  await bridge.settled()
  const text = map.get('a.txt') as Y.Text
  // Another device's edit arrives through sync and is not written yet when a program appends to the file.
  text.insert(0, 'zero\n')
  runtime.external.writeFile('a.txt', 'one\ntwo\nthree\n')
  await tick()
  await bridge.settled()
  expect(text.toString()).toBe('zero\none\ntwo\nthree\n')
  expect(runtime.external.text('a.txt')).toBe('zero\none\ntwo\nthree\n')
})

/// Holds every runtime read until `release()`, to land keystrokes and writes while a read is under way.
function gateReads(runtime: MemoryRuntime) {
  const read = runtime.fs.readFile
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  runtime.fs.readFile = (async (...args: Parameters<typeof read>) => {
    const result = await read(...args)
    await gate
    return result
  }) as typeof read
  return () => {
    runtime.fs.readFile = read
    release()
  }
}

test('a keystroke made while the echo of the last write is being read is kept', async () => {
  const { map, runtime, bridge } = await setup({ 'a.txt': '' })
  await bridge.start()
  await bridge.settled()
  const text = map.get('a.txt') as Y.Text
  const release = gateReads(runtime)
  text.insert(0, 'a')
  await tick() // 'a' written; reading its echo back is held at the gate
  text.insert(1, 'b')
  release()
  await tick()
  await bridge.settled()
  expect(text.toString()).toBe('ab')
  expect(runtime.external.text('a.txt')).toBe('ab')
})

test('a read overlapping a newer write does not undo what was written', async () => {
  const { map, runtime, bridge } = await setup({ 'a.txt': '' })
  await bridge.start()
  await bridge.settled()
  const text = map.get('a.txt') as Y.Text
  const seen: string[] = []
  text.observe(() => seen.push(text.toString()))
  const release = gateReads(runtime)
  text.insert(0, 'a')
  await tick() // echo read of 'a' held
  text.insert(1, 'b')
  await tick() // debounce fired: 'ab' written while the read of 'a' is still held
  expect(runtime.external.text('a.txt')).toBe('ab')
  release()
  await tick()
  await bridge.settled()
  // never back to 'a' on the way, which would move the cursor and lose whatever is typed meanwhile
  expect(seen).toEqual(['a', 'ab'])
})

test('empty folders of the doc exist in the runtime: mounted at start, made when added, kept from the stale sweep', async () => {
  const { doc, runtime, bridge } = await setup({ 'a.txt': 'a' })
  const folders = doc.getMap<true>(FOLDERS_MAP)
  folders.set('assets/icons', true)
  await bridge.start()
  await bridge.settled()
  expect(runtime.dirs.has('assets/icons')).toBe(true)
  folders.set('docs', true)
  await bridge.settled()
  expect(runtime.dirs.has('docs')).toBe(true)
})

test('deleting a folder in the doc removes it from the runtime, nested empty folders included; a folder holding a .env stays', async () => {
  const { doc, map, runtime, bridge } = await setup({ 'dossier/日本語/a.txt': 'a', 'dossier/b.txt': 'b', 'conf/x.txt': 'x' })
  await bridge.start()
  await bridge.settled()
  runtime.external.writeFile('conf/.env', 'SECRET=1')
  await bridge.settled()
  doc.transact(() => {
    map.delete('dossier/日本語/a.txt')
    map.delete('dossier/b.txt')
    map.delete('conf/x.txt')
  })
  await bridge.settled()
  expect(runtime.dirs.has('dossier/日本語')).toBe(false)
  expect(runtime.dirs.has('dossier')).toBe(false)
  expect(runtime.external.text('conf/.env')).toBe('SECRET=1')
})

test('a folder a program makes comes into the doc as an empty folder; removing it takes it out', async () => {
  const { doc, runtime, bridge } = await setup({ 'a.txt': 'a' })
  await bridge.start()
  await bridge.settled()
  await runtime.fs.mkdir('generated/out', { recursive: true })
  await tick(60)
  await bridge.settled()
  const folders = doc.getMap<true>(FOLDERS_MAP)
  expect([...folders.keys()]).toEqual(['generated/out'])
  await runtime.fs.rm('generated', { recursive: true })
  await tick(60)
  await bridge.settled()
  expect([...folders.keys()]).toEqual([])
})
