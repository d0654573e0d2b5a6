import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import type { SyncMeta } from '../persistence/LocalStore.ts'
import { HttpSyncClient } from './HttpSyncClient.ts'
import type { SyncApi } from './HttpSyncClient.ts'

/// The sync API's protocol over one server doc: push merges an update and answers the state vector; pull answers
/// what a state vector lacks plus the server's state vector. `down` makes every call fail like a dead network.
interface FakeServer {
  doc: Y.Doc
  pushes: Uint8Array[]
  /// Bytes of each pull answer's body (0 for a 304).
  pulls: number[]
  down: boolean
  status: number
  /// Set: pushes are refused with `quota_exceeded` and this message.
  pushRefusal?: string | undefined
  api: SyncApi
}
function fakeServer(): FakeServer {
  const doc = new Y.Doc()
  const pushes: Uint8Array[] = []
  const pulls: number[] = []
  // Like the server's doc version (its log's seq): moves with every change, whoever made it.
  let version = 0
  doc.on('update', () => version++)
  // Like the server: a content ETag of the answer.
  const tagOf = (update: Uint8Array, stateVector: Uint8Array) => createHash('sha256').update(update).update(stateVector).digest('base64url')
  const server: FakeServer = {
    doc,
    pushes,
    pulls,
    down: false,
    status: 0,
    api: {
      async push(_id, update, base) {
        if (server.down) return { ok: false, kind: 'network', message: 'Failed to fetch' }
        if (server.pushRefusal) return { ok: false, kind: 'http', status: 413, code: 'quota_exceeded', message: server.pushRefusal }
        if (server.status) return { ok: false, kind: 'http', status: server.status, code: 'unauthorized', message: 'Sign in first' }
        pushes.push(update)
        const before = version
        Y.applyUpdate(doc, update)
        const stateVector = Y.encodeStateVector(doc)
        // Nothing else landed since the client's pull: it holds the whole doc, and learns its next answer's ETag.
        if (base === before) return { ok: true, value: { stateVector, etag: tagOf(Y.encodeStateAsUpdate(doc, stateVector), stateVector) } }
        return { ok: true, value: { stateVector } }
      },
      async pull(_id, sv, etag) {
        if (server.down) return { ok: false, kind: 'network', message: 'Failed to fetch' }
        if (server.status) return { ok: false, kind: 'http', status: server.status, code: 'unauthorized', message: 'Sign in first' }
        // 304 with no body when the client already has this answer.
        const update = Y.encodeStateAsUpdate(doc, sv)
        const stateVector = Y.encodeStateVector(doc)
        const tag = tagOf(update, stateVector)
        if (tag === etag) {
          pulls.push(0)
          return { ok: true, value: { update: new Uint8Array(0), stateVector, etag: tag, version, notModified: true } }
        }
        pulls.push(update.byteLength)
        return { ok: true, value: { update, stateVector, etag: tag, version } }
      },
    },
  }
  return server
}

const text = (doc: Y.Doc) => doc.getMap<Y.Text>('files').get('a.txt')?.toString()
function client(server: FakeServer, doc = new Y.Doc(), meta?: { value?: SyncMeta }) {
  const options = meta ? { debounceMs: 60_000, pollMs: 0, bookkeeping: { get: async () => meta.value, put: async (m: SyncMeta) => void (meta.value = m) } } : { debounceMs: 60_000, pollMs: 0 }
  return { doc, sync: new HttpSyncClient(doc, 'p1', server.api, options) }
}

test('two clients editing offline converge after syncing, nothing lost', async () => {
  const server = fakeServer()
  const a = client(server)
  a.doc.getMap('files').set('a.txt', new Y.Text('line 1\nline 2\n'))
  await a.sync.sync()
  const b = client(server)
  await b.sync.sync()
  expect(text(b.doc)).toBe('line 1\nline 2\n')
  server.down = true
  a.doc.getMap<Y.Text>('files').get('a.txt')!.insert(0, 'A says hi\n')
  b.doc.getMap<Y.Text>('files').get('a.txt')!.insert(14, 'B was here\n')
  await a.sync.sync()
  await b.sync.sync()
  expect(a.sync.status.get()).toEqual({ state: 'offline', waiting: 1 })
  server.down = false
  await a.sync.sync()
  await b.sync.sync()
  await a.sync.sync()
  expect(text(a.doc)).toBe(text(b.doc))
  expect(text(server.doc)).toBe(text(a.doc))
  expect(text(a.doc)).toContain('A says hi')
  expect(text(a.doc)).toContain('B was here')
  expect(a.sync.status.get().state).toBe('synced')
})

test('after the first round only the new edits are sent, not the history\'s whole delete set', async () => {
  const server = fakeServer()
  const a = client(server)
  const files = a.doc.getMap<Y.Text>('files')
  // A long history: many files, many deletions.
  for (let f = 0; f < 200; f++) files.set(`f${f}.ts`, new Y.Text('x'.repeat(500)))
  for (let f = 0; f < 200; f++) for (let i = 0; i < 20; i++) files.get(`f${f}.ts`)!.delete(i * 7, 2)
  await a.sync.sync()
  const serverSvBefore = Y.encodeStateVector(server.doc)
  files.get('f7.ts')!.insert(3, 'one line edit\n')
  await a.sync.sync()
  const sent = server.pushes.at(-1)!
  expect(sent.byteLength).toBeLessThan(100)
  // What "everything the server lacks" would have sent for the same edit: the edit plus the whole delete set.
  const naive = Y.encodeStateAsUpdate(a.doc, serverSvBefore)
  expect(naive.byteLength).toBeGreaterThan(sent.byteLength * 10)
  expect(server.doc.getMap<Y.Text>('files').get('f7.ts')!.toString()).toBe(files.get('f7.ts')!.toString())
})

test('deletions made offline in an earlier page load reach the server on the next open', async () => {
  const server = fakeServer()
  const meta: { value?: SyncMeta } = {}
  const first = client(server, new Y.Doc(), meta)
  first.doc.getMap('files').set('a.txt', new Y.Text('keep this, drop this'))
  await first.sync.sync()
  server.down = true
  first.doc.getMap<Y.Text>('files').get('a.txt')!.delete(9, 11)
  await first.sync.sync()
  expect(first.sync.status.get()).toEqual({ state: 'offline', waiting: 1 })
  first.sync.dispose()
  // Next page load: the doc comes back from IndexedDB (here: a copy); the pending list in memory is gone.
  const reloaded = new Y.Doc()
  Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(first.doc))
  const second = client(server, reloaded, meta)
  await new Promise((r) => setTimeout(r, 0))
  expect(second.sync.status.get()).toEqual({ state: 'saved-locally', waiting: 1 })
  server.down = false
  await second.sync.sync()
  expect(text(server.doc)).toBe('keep this')
  expect(second.sync.status.get().state).toBe('synced')
  expect(meta.value?.waiting).toBe(0)
})

test('a session that expired says so, keeps the edits waiting, and Retry syncs once signed in again', async () => {
  const server = fakeServer()
  const a = client(server)
  a.doc.getMap('files').set('a.txt', new Y.Text('hello'))
  server.status = 401
  await a.sync.sync()
  expect(a.sync.status.get()).toEqual({ state: 'error', message: 'signed out — sign in again', waiting: 1 })
  server.status = 0
  await a.sync.retry()
  expect(text(server.doc)).toBe('hello')
  expect(a.sync.status.get().state).toBe('synced')
})

test('remote updates are not echoed back to the server', async () => {
  const server = fakeServer()
  const a = client(server)
  const b = client(server)
  a.doc.getMap('files').set('a.txt', new Y.Text('hello'))
  await a.sync.sync()
  const pushesBefore = server.pushes.length
  await b.sync.sync() // first round: pulls, and has nothing of its own to send
  await b.sync.sync()
  expect(server.pushes.length).toBe(pushesBefore)
  expect(b.sync.status.get().state).toBe('synced')
})

test('a visible page picks up another device\'s edits without editing anything', async () => {
  const server = fakeServer()
  const a = client(server)
  const listeners = new Map<string, () => void>()
  const scope = { document: { visibilityState: 'visible' }, addEventListener: (t: string, fn: () => void) => listeners.set(t, fn), removeEventListener: () => {} }
  const b = { doc: new Y.Doc() }
  const bSync = new HttpSyncClient(b.doc, 'p1', server.api, { pollMs: 20, scope: scope as never })
  await bSync.sync()
  a.doc.getMap('files').set('a.txt', new Y.Text('from the other device'))
  await a.sync.sync()
  const until = Date.now() + 2000
  while (text(b.doc) !== 'from the other device' && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
  expect(text(b.doc)).toBe('from the other device')
  // Hidden: no polling.
  scope.document.visibilityState = 'hidden'
  await new Promise((r) => setTimeout(r, 40))
  a.doc.getMap<Y.Text>('files').get('a.txt')!.insert(0, '!')
  await a.sync.sync()
  await new Promise((r) => setTimeout(r, 100))
  expect(text(b.doc)).toBe('from the other device')
  bSync.dispose()
})

test('a deletion another device pushed between our pull and our push still reaches us', async () => {
  const server = fakeServer()
  const a = client(server)
  const b = client(server)
  a.doc.getMap('files').set('a.txt', new Y.Text('hello world'))
  await a.sync.sync()
  await b.sync.sync()
  // b deletes (no state vector moves) while a's round is between its pull and its push.
  const push = server.api.push.bind(server.api)
  let landed = false
  server.api.push = async (id, update, version) => {
    if (!landed) {
      landed = true
      b.doc.getMap<Y.Text>('files').get('a.txt')!.delete(0, 6)
      await b.sync.sync()
    }
    return push(id, update, version)
  }
  a.doc.getMap<Y.Text>('files').get('a.txt')!.insert(11, '!')
  await a.sync.sync()
  await a.sync.sync()
  expect(text(a.doc)).toBe('world!')
  await b.sync.sync()
  expect(text(b.doc)).toBe('world!')
})

test('an idle poll downloads nothing, and a reload with nothing new pushes nothing — deletions still get through', async () => {
  const server = fakeServer()
  const meta: { value?: SyncMeta } = {}
  const a = client(server, new Y.Doc(), meta)
  const files = a.doc.getMap<Y.Text>('files')
  for (let f = 0; f < 50; f++) files.set(`f${f}.ts`, new Y.Text('y'.repeat(200)))
  for (let f = 0; f < 50; f++) files.get(`f${f}.ts`)!.delete(10, 5)
  await a.sync.sync()
  // After our own push, with nothing else landed since our pull: the push named the next answer, so no download.
  const before = server.pulls.length
  await a.sync.sync()
  await a.sync.sync()
  expect(server.pulls.slice(before)).toEqual([0, 0])
  a.sync.dispose()

  // Next page load, nothing edited: the first round pushes nothing.
  const pushes = server.pushes.length
  const copy = () => {
    const d = new Y.Doc()
    Y.applyUpdate(d, Y.encodeStateAsUpdate(a.doc))
    return d
  }
  const b = client(server, copy(), meta)
  await b.sync.sync()
  expect(server.pushes.length).toBe(pushes)
  expect(b.sync.status.get().state).toBe('synced')
  b.sync.dispose()

  // Next page load after a deletion made offline (the state vector does not move): it is pushed.
  const c = client(server, copy(), meta)
  c.doc.getMap<Y.Text>('files').get('f3.ts')!.delete(0, 100)
  c.sync.dispose() // the edit's page closed before syncing; the bookkeeping did not see it
  const d = client(server, (() => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(c.doc))
    return doc
  })(), meta)
  await d.sync.sync()
  expect(server.pushes.length).toBe(pushes + 1)
  expect(server.doc.getMap<Y.Text>('files').get('f3.ts')!.toString()).toBe(c.doc.getMap<Y.Text>('files').get('f3.ts')!.toString())
})

test('"N changes waiting" counts files, not keystrokes, and a reload neither forgets nor double-counts them', async () => {
  const server = fakeServer()
  const meta: { value?: SyncMeta } = {}
  const first = client(server, new Y.Doc(), meta)
  const files = first.doc.getMap<Y.Text>('files')
  files.set('a.txt', new Y.Text('a'))
  files.set('b.txt', new Y.Text('b'))
  files.set('c.txt', new Y.Text('c'))
  await first.sync.sync()
  server.down = true
  // A word typed into a.txt, one key at a time (one transaction each, as in the editor)...
  for (const ch of 'hello world') files.get('a.txt')!.insert(files.get('a.txt')!.length, ch)
  await first.sync.sync()
  expect(first.sync.status.get()).toEqual({ state: 'offline', waiting: 1 })
  // ...then b.txt deleted and a new file made: three files changed.
  files.delete('b.txt')
  files.set('d.txt', new Y.Text('new'))
  await first.sync.sync()
  expect(first.sync.status.get()).toEqual({ state: 'offline', waiting: 3 })
  first.sync.dispose()
  await new Promise((r) => setTimeout(r, 0))
  expect(meta.value?.waiting).toBe(3)

  const reloaded = new Y.Doc()
  Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(first.doc))
  const second = client(server, reloaded, meta)
  await new Promise((r) => setTimeout(r, 0))
  expect(second.sync.status.get()).toEqual({ state: 'saved-locally', waiting: 3 })
  // More typing into a file already waiting is still three files.
  reloaded.getMap<Y.Text>('files').get('a.txt')!.insert(0, '>')
  expect(second.sync.status.get()).toEqual({ state: 'saved-locally', waiting: 3 })
  server.down = false
  await second.sync.sync()
  expect(second.sync.status.get().state).toBe('synced')
  expect(meta.value?.waiting).toBe(0)
  expect(server.doc.getMap<Y.Text>('files').get('a.txt')!.toString()).toBe('>ahello world')
  expect(server.doc.getMap('files').has('b.txt')).toBe(false)
})

test('bookkeeping from before the count was by file still shows its waiting edits until they are synced', async () => {
  const server = fakeServer()
  const doc = new Y.Doc()
  doc.getMap('files').set('a.txt', new Y.Text('offline edit'))
  const meta: { value?: SyncMeta } = { value: { serverStateVector: 'AA', waiting: 4 } }
  const c = client(server, doc, meta)
  await new Promise((r) => setTimeout(r, 0))
  expect(c.sync.status.get()).toEqual({ state: 'saved-locally', waiting: 4 })
  await c.sync.sync()
  expect(c.sync.status.get().state).toBe('synced')
  expect(text(server.doc)).toBe('offline edit')
  expect(meta.value).toMatchObject({ waiting: 0, waitingPaths: [] })
})

test('a storage quota refusal says which limit and what to do, keeps the edits, and Retry syncs once there is room', async () => {
  const server = fakeServer()
  const a = client(server)
  a.doc.getMap('files').set('a.txt', new Y.Text('hello'))
  server.pushRefusal = "This project's stored files and history have reached the server's 256 MB limit. Delete files you no longer need."
  await a.sync.sync()
  expect(a.sync.status.get()).toEqual({ state: 'error', message: server.pushRefusal, waiting: 1, quota: true })
  server.pushRefusal = undefined
  await a.sync.retry()
  expect(text(server.doc)).toBe('hello')
  expect(a.sync.status.get().state).toBe('synced')
})
