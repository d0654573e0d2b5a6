import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, expect, test, vi } from 'vitest'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import * as Y from 'yjs'
import { DocPersistence } from './DocPersistence.ts'

let n = 0
const freshName = () => `doc-test-${process.pid}-${++n}`
const opened: DocPersistence[] = []
async function open(name: string, options: Parameters<typeof DocPersistence.open>[2] = { channel: null }) {
  const doc = new Y.Doc()
  const p = await DocPersistence.open(name, doc, options)
  opened.push(p)
  return { doc, p, text: doc.getText('t') }
}
const until = async (cond: () => boolean, ms = 2000, every = 5) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, every))
  }
}
/// Makes `count` edits one at a time, each once the one before is stored (as someone typing), so each is its own row.
async function oneByOne(stored: () => number, count: number, edit: (i: number) => void) {
  for (let i = 0; i < count; i++) {
    const want = stored() + 1
    edit(i)
    await until(() => stored() >= want, 2000, 0)
  }
}
/// Counts the readwrite transactions opened on the doc's `updates` store from now on.
function countUpdateWrites() {
  const real = IDBDatabase.prototype.transaction
  const writes: IDBTransaction[] = []
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = real.apply(this, args)
    if (args[1] === 'readwrite' && [args[0]].flat().includes('updates')) writes.push(tx)
    return tx
  })
  return writes
}

afterEach(async () => {
  vi.restoreAllMocks()
  for (const p of opened.splice(0)) await p.destroy()
})

test('every edit is committed at once, and a fresh load sees all of them', async () => {
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  for (const ch of 'hello') a.text.insert(a.text.length, ch)
  await until(() => stored === 5)
  // A second reader (another page load) sees the edits without any checkpoint or close.
  const b = await open(name)
  expect(b.text.toString()).toBe('hello')
})

test('a burst of edits is written in a few transactions, not one per edit, and all of it is stored', async () => {
  // A paste Monaco applies character by character: thousands of edits in one task. One transaction each queued for
  // seconds in the browser, and leaving the page then aborted all those not yet committed.
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  const writes = countUpdateWrites()
  const burst = 'const x = 1 // a line of a pasted file\n'.repeat(50)
  for (const ch of burst) a.text.insert(a.text.length, ch)
  await until(() => stored === burst.length)
  // The first edit at once, the rest together once it has committed.
  expect(writes.length).toBe(2)
  vi.restoreAllMocks()
  expect((await storedRows(name)).length).toBeLessThanOrEqual(3)
  const b = await open(name)
  expect(b.text.toString()).toBe(burst)
})

test('leaving the page writes the edits still waiting at once, in a transaction committed explicitly', async () => {
  // Chromium drops a transaction started in `pagehide` unless it is committed explicitly (tx.commit()).
  const listeners = new Map<string, () => void>()
  const scope = {
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
  }
  const name = freshName()
  const a = await open(name, { channel: null, checkpointMs: 60_000, scope: scope as never })
  const writes = countUpdateWrites()
  const commit = vi.spyOn(IDBTransaction.prototype, 'commit')
  a.text.insert(0, 'first')
  a.text.insert(5, ' second') // waits for the first write
  expect(writes.length).toBe(1)
  listeners.get('pagehide')!()
  // Both edits are in transactions already sent, each committed explicitly, before the page goes.
  expect(writes.length).toBe(2)
  for (const tx of writes) expect(commit.mock.contexts).toContain(tx)
  vi.restoreAllMocks()
  await opened.pop()!.destroy()
  expect((await open(name)).text.toString()).toBe('first second')
})

test('edits made while the doc closes are stored before its store closes', async () => {
  const name = freshName()
  const a = await open(name, { channel: null })
  a.text.insert(0, 'a')
  const closing = opened.pop()!.destroy()
  a.text.insert(1, 'b')
  a.text.insert(2, 'c')
  await closing
  expect((await open(name)).text.toString()).toBe('abc')
})

test('a strict checkpoint follows a pause in typing and records the doc it covers', async () => {
  const name = freshName()
  const a = await open(name, { channel: null, checkpointMs: 20 })
  a.text.insert(0, 'abc')
  const spy = vi.spyOn(IDBDatabase.prototype, 'transaction')
  await new Promise((r) => setTimeout(r, 80))
  const strict = spy.mock.calls.filter((c) => (c[2] as IDBTransactionOptions | undefined)?.durability === 'strict')
  expect(strict.length).toBe(1)
  expect(strict[0]?.[0]).toEqual(['custom'])
})

test('a checkpoint happens when the page is hidden', async () => {
  const listeners = new Map<string, () => void>()
  const scope = {
    document: { visibilityState: 'visible' },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
  }
  const a = await open(freshName(), { channel: null, checkpointMs: 60_000, scope: scope as never })
  a.text.insert(0, 'x')
  const spy = vi.spyOn(IDBDatabase.prototype, 'transaction')
  scope.document.visibilityState = 'hidden'
  listeners.get('visibilitychange')?.()
  expect(spy.mock.calls.some((c) => (c[2] as IDBTransactionOptions | undefined)?.durability === 'strict')).toBe(true)
  await opened.pop()?.destroy()
  expect(listeners.size).toBe(0)
})

test('a full disk shows what to do, keeps the edits and saves them all once there is room', async () => {
  const name = freshName()
  const a = await open(name, { channel: null, retryMs: 20 })
  a.text.insert(0, 'before ')
  await new Promise((r) => setTimeout(r, 20))
  const real = IDBDatabase.prototype.transaction
  let full = true
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    if (full) throw new DOMException('Quota exceeded', 'QuotaExceededError')
    return real.apply(this, args)
  })
  a.text.insert(a.text.length, 'during')
  await until(() => a.p.status.get().state === 'failing')
  expect(a.p.status.get()).toMatchObject({ state: 'failing', quota: true })
  expect((a.p.status.get() as { message: string }).message).toMatch(/Free some disk space/)
  await new Promise((r) => setTimeout(r, 60))
  expect(a.p.status.get().state).toBe('failing') // still full: still retrying
  full = false
  await until(() => a.p.status.get().state === 'ok')
  vi.restoreAllMocks()
  const b = await open(name)
  expect(b.text.toString()).toBe('before during')
})

test('an edit in one tab shows in another tab at once, and neither stores the other tab\'s edits twice', async () => {
  const name = freshName()
  const a = await open(name, {})
  const b = await open(name, {})
  a.text.insert(0, 'from a;')
  await until(() => b.text.toString() === 'from a;')
  b.text.insert(b.text.length, 'from b')
  await until(() => a.text.toString() === 'from a;from b')
  await a.p.destroy()
  await b.p.destroy()
  // Rows: the two loads' snapshots plus one per edit, no echo of the other tab's edit.
  const db = await new Promise<IDBDatabase>((resolve) => {
    const req = indexedDB.open(name)
    req.onsuccess = () => resolve(req.result)
  })
  const count = await new Promise<number>((resolve) => {
    const req = db.transaction('updates').objectStore('updates').count()
    req.onsuccess = () => resolve(req.result)
  })
  db.close()
  expect(count).toBe(4)
  const c = await open(name)
  expect(c.text.toString()).toBe('from a;from b')
})

test('garbage on the channel changes nothing', async () => {
  const name = freshName()
  const a = await open(name, {})
  a.text.insert(0, 'safe')
  const other = new BroadcastChannel(`slipway:${name}`)
  other.postMessage(new Uint8Array([1, 2, 3, 250]))
  other.postMessage('not bytes')
  await new Promise((r) => setTimeout(r, 30))
  other.close()
  expect(a.text.toString()).toBe('safe')
})

async function storedRows(name: string): Promise<Array<{ key: number; bytes: number; value: Uint8Array }>> {
  const db = await new Promise<IDBDatabase>((resolve) => {
    const req = indexedDB.open(name)
    req.onsuccess = () => resolve(req.result)
  })
  const store = db.transaction('updates').objectStore('updates')
  const [keys, values] = await Promise.all(
    [store.getAllKeys(), store.getAll()].map((req) => new Promise<unknown[]>((resolve) => (req.onsuccess = () => resolve(req.result as unknown[])))),
  )
  db.close()
  return keys!.map((key, i) => ({ key: key as number, value: values![i] as Uint8Array, bytes: (values![i] as Uint8Array).byteLength }))
}

test('compaction folds the per-edit rows into one and leaves the big first row as it is; nothing is lost', async () => {
  const name = freshName()
  // A project compacted once: its first row holds the big part.
  const seed = new Y.Doc()
  seed.getText('t').insert(0, 'x'.repeat(200_000))
  const first = await open(name)
  Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(seed))
  await storeState((first.p as unknown as { provider: Parameters<typeof storeState>[0] }).provider, true)
  await opened.pop()!.destroy()
  const base = (await storedRows(name))[0]!
  expect(base.bytes).toBeGreaterThan(200_000)

  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  await oneByOne(() => stored, 600, (i) => a.text.insert(i % 7, String.fromCharCode(97 + (i % 26))))
  expect((await storedRows(name)).length).toBeGreaterThan(600)
  await a.p.compact()
  const rows = await storedRows(name)
  expect(rows.length).toBe(2)
  // The first row is the same row, byte for byte; the second is small.
  expect(rows[0]!.key).toBe(base.key)
  expect(rows[0]!.value).toEqual(base.value)
  expect(rows[1]!.bytes).toBeLessThan(10_000)
  const expected = a.text.toString()
  await opened.pop()!.destroy()
  const b = await open(name)
  expect(b.text.toString()).toBe(expected)
  expect(b.text.length).toBe(200_600)
})

test('an edit another tab stores while this tab compacts is kept', async () => {
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  for (const ch of 'abcdef') a.text.insert(a.text.length, ch)
  await until(() => stored === 6)
  const b = await open(name, { channel: null, onStored: () => stored++ })
  // Both start at once: the transactions serialize, so b's row lands either before (merged) or after (kept).
  const compacting = a.p.compact()
  b.text.insert(0, '>')
  await compacting
  await until(() => stored === 7)
  await opened.splice(0).reduce((p, o) => p.then(() => o.destroy()), Promise.resolve())
  const c = await open(name)
  expect(c.text.toString()).toBe('>abcdef')
})

test('merged edits past the limit make compaction write the whole doc again, which drops deleted text', async () => {
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  // 1.5 MB typed in pieces, then nearly all deleted: the merged rows would still carry it.
  for (let i = 0; i < 6; i++) a.text.insert(a.text.length, 'y'.repeat(250_000))
  a.text.delete(0, a.text.length - 3)
  await until(() => stored === 7)
  await a.p.compact()
  const rows = await storedRows(name)
  expect(rows.length).toBe(1)
  expect(rows[0]!.bytes).toBeLessThan(1000)
  await opened.pop()!.destroy()
  expect((await open(name)).text.toString()).toBe('yyy')
})

test('past PREFERRED_TRIM_SIZE rows, counting those stored before this page opened, the edits are folded on their own', async () => {
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  await oneByOne(() => stored, 300, () => a.text.insert(a.text.length, 'a'))
  expect((await storedRows(name)).length).toBeGreaterThan(300)
  await opened.pop()!.destroy()
  const b = await open(name, { channel: null, onStored: () => stored++ })
  await oneByOne(() => stored, 250, () => b.text.insert(b.text.length, 'b'))
  // The fold waits a second after the last edit.
  await until(() => false, 1500).catch(() => undefined)
  expect((await storedRows(name)).length).toBeLessThan(10)
  await opened.pop()!.destroy()
  expect((await open(name)).text.toString()).toBe('a'.repeat(300) + 'b'.repeat(250))
})

test("destroy() removes every listener it added: the doc's, the channel's and the page's", async () => {
  const doc = new Y.Doc()
  const on = vi.spyOn(doc, 'on')
  const off = vi.spyOn(doc, 'off')
  const channel = { onmessage: null as ((e: MessageEvent) => void) | null, postMessage: vi.fn(), close: vi.fn() }
  const listeners = new Map<string, unknown>()
  const scope = {
    addEventListener: (type: string, fn: unknown) => listeners.set(type, fn),
    removeEventListener: (type: string, fn: unknown) => listeners.get(type) === fn && listeners.delete(type),
  }
  const p = await DocPersistence.open(freshName(), doc, { channel, scope: scope as never })
  doc.getText('t').insert(0, 'stored')
  expect(channel.postMessage).toHaveBeenCalledTimes(1)
  expect(channel.onmessage).toBeTypeOf('function')
  expect(listeners.size).toBe(2)
  expect(on.mock.calls.length).toBeGreaterThan(0)
  await p.destroy()
  const removed = off.mock.calls.map(([name, fn]) => [name, fn])
  for (const [name, fn] of on.mock.calls) expect(removed, `doc.on('${String(name)}') was never undone`).toContainEqual([name, fn])
  expect(channel.onmessage).toBeNull()
  expect(channel.close).toHaveBeenCalled()
  expect(listeners.size).toBe(0)
  doc.getText('t').insert(0, 'after ')
  expect(channel.postMessage).toHaveBeenCalledTimes(1)
})

// DocPersistence takes over y-indexeddb's per-edit write by unhooking the provider's own update listener, the
// private `_storeUpdate`. y-indexeddb is pinned exactly (web/package.json); if an upgrade renames or re-wires that
// listener, these tests fail here, naming it, instead of every edit being written twice.
const installed = (createRequire(import.meta.url)('y-indexeddb/package.json') as { version: string }).version
const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }

let internalsN = 0
const providers: IndexeddbPersistence[] = []
afterEach(async () => {
  for (const p of providers.splice(0)) await p.destroy()
})

async function bareProvider() {
  const name = `yidb-internals-${process.pid}-${++internalsN}`
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
  const { name, doc, provider } = await bareProvider()
  expect(provider._storeUpdate, `y-indexeddb ${installed} has no _storeUpdate function`).toBeTypeOf('function')
  const loaded = (await storedRows(name)).length
  doc.getText('t').insert(0, 'a')
  await settle()
  expect((await storedRows(name)).length, '_storeUpdate writes one row per edit').toBe(loaded + 1)
  doc.off('update', provider._storeUpdate)
  doc.getText('t').insert(0, 'b')
  await settle()
  expect((await storedRows(name)).length, `doc.off('update', _storeUpdate) no longer stops y-indexeddb ${installed} writing edits`).toBe(loaded + 1)
})

test(`y-indexeddb ${installed}: storeState(provider, true) leaves one row, the whole doc`, async () => {
  const { name, doc, provider } = await bareProvider()
  for (const ch of 'hello') doc.getText('t').insert(doc.getText('t').length, ch)
  await settle()
  await storeState(provider, true)
  await settle()
  expect((await storedRows(name)).length).toBe(1)
  const again = new Y.Doc()
  const reader = new IndexeddbPersistence(name, again)
  providers.push(reader)
  await reader.whenSynced
  expect(again.getText('t').toString()).toBe('hello')
})
