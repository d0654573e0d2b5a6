import 'fake-indexeddb/auto'
import { afterEach, expect, test, vi } from 'vitest'
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
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

afterEach(async () => {
  vi.restoreAllMocks()
  for (const p of opened.splice(0)) await p.destroy()
})

test('every edit is committed on its own, and a fresh load sees all of them', async () => {
  const name = freshName()
  let stored = 0
  const a = await open(name, { channel: null, onStored: () => stored++ })
  for (const ch of 'hello') a.text.insert(a.text.length, ch)
  await until(() => stored === 5)
  // A second reader (another page load) sees the edits without any checkpoint or close.
  const b = await open(name)
  expect(b.text.toString()).toBe('hello')
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
