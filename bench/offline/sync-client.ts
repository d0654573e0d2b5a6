// Sync bytes of `bench/offline.mjs`, run with tsx (cwd bench/): the app's real HttpSyncClient + ApiClient in Node
// against the production server. Usage: sync-client.ts <baseUrl>. Prints one JSON line (last line of stdout).
//   1. signs up and creates a project through the API (ApiClient)
//   2. uploads the generated 1,000-file / 10 MB project with its history (3,000 edits, 1,332 with deletions, 30
//      client ids) through HttpSyncClient, in chunks of ~2 MB (the server's per-update limit is 10 MB)
//   3. "same session": replaces one line of index.js (delete the line's text, type 40 characters one key per
//      transaction), then one sync round: the bytes of the push body and of the pull answer. Also what the naive
//      `Y.encodeStateAsUpdate(doc, serverStateVector)` would have sent for the same edit.
//   4. "after reload": a new Y.Doc (new client id) holding the same state, a new HttpSyncClient with the bookkeeping
//      the first one left (as a page load would): the round at open, then a one-line edit and its round, then an
//      idle poll round (nothing changed anywhere).
import { FILES_MAP } from '@slipway/shared'
// The same Yjs as the app's HttpSyncClient below: bench/ and web/ ask for the same version, so pnpm links one copy
// (a second copy would not know the first one's types; offline.mjs reports 'Yjs imported twice' if that ever happens).
import * as Y from 'yjs'
import { ApiClient } from '../../web/src/adapters/api/client.ts'
import type { SyncMeta } from '../../web/src/adapters/persistence/LocalStore.ts'
import { HttpSyncClient } from '../../web/src/adapters/sync/HttpSyncClient.ts'
// @ts-expect-error plain .mjs helper
import { generateProject } from './gen.mjs'

const base = process.argv[2]!
let cookie = ''

interface Req {
  method: string
  path: string
  urlBytes: number
  requestBodyBytes: number
  status: number
  responseBodyBytes: number
  ms: number
}
let log: Req[] = []

const fetchFn = async (path: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers)
  if (cookie) headers.set('cookie', cookie)
  headers.set('origin', base)
  const t0 = performance.now()
  const res = await fetch(base + path, { ...init, headers }).catch((err: unknown) => {
    process.stderr.write(`sync-client: ${init.method ?? 'GET'} ${path.split('?')[0]} failed: ${String(err)} ${String((err as { cause?: unknown }).cause ?? '')}\n`)
    throw err
  })
  const body = await res.arrayBuffer()
  const setCookie = res.headers.get('set-cookie')
  if (setCookie) cookie = setCookie.split(';')[0]!
  const b = init.body
  log.push({
    method: init.method ?? 'GET',
    path: path.split('?')[0]!,
    urlBytes: Buffer.byteLength(path),
    requestBodyBytes: b == null ? 0 : typeof b === 'string' ? Buffer.byteLength(b) : (b as Uint8Array).byteLength,
    status: res.status,
    responseBodyBytes: body.byteLength,
    ms: performance.now() - t0,
  })
  // A null-body status (304 to a pull with the last ETag, 204) cannot be constructed with a body, even an empty one.
  const nullBody = [101, 204, 205, 304].includes(res.status)
  return new Response(nullBody ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers })
}

const api = new ApiClient(fetchFn)
// The push bodies and pull answers as the client sees them.
let pushes: number[] = []
let pulls: number[] = []
let lastServerSv: Uint8Array = new Uint8Array([0])
const push = api.push.bind(api)
const pull = api.pull.bind(api)
api.push = async (id, update, version) => {
  pushes.push(update.byteLength)
  const r = await push(id, update, version)
  if (r.ok) lastServerSv = r.value.stateVector
  return r
}
api.pull = async (id, sv, etag) => {
  const r = await pull(id, sv, etag)
  if (r.ok) {
    pulls.push(r.value.update.byteLength)
    lastServerSv = r.value.stateVector
  }
  return r
}

function memoryBookkeeping(start?: SyncMeta) {
  let meta = start
  return { get: async () => meta, put: async (m: SyncMeta) => void (meta = m), peek: () => meta }
}

async function round(client: HttpSyncClient) {
  log = []
  pushes = []
  pulls = []
  await client.sync()
  const st = client.status.get()
  if (st.state === 'error' || st.state === 'offline') throw new Error(`sync failed: ${JSON.stringify(st)}; requests of this round: ${JSON.stringify(log.slice(-3))}`)
  const syncReqs = log.filter((r) => r.path.endsWith('/sync'))
  return {
    pushBodyBytes: pushes.reduce((a, b) => a + b, 0),
    pullAnswerBytes: pulls.reduce((a, b) => a + b, 0),
    requests: syncReqs.map((r) => ({ method: r.method, urlBytes: r.urlBytes, requestBodyBytes: r.requestBodyBytes, responseBodyBytes: r.responseBodyBytes, ms: +r.ms.toFixed(1) })),
    totalBodyAndUrlBytes: syncReqs.reduce((a, r) => a + r.urlBytes + r.requestBodyBytes + r.responseBodyBytes, 0),
  }
}

/// Replaces the text of line `line` (0-based) of `path` with `typed`, one key per transaction like typing.
function editLine(doc: Y.Doc, path: string, line: number, typed: string) {
  const text = doc.getMap<Y.Text>(FILES_MAP).get(path)!
  const s = text.toString()
  let start = 0
  for (let i = 0; i < line; i++) start = s.indexOf('\n', start) + 1
  const end = s.indexOf('\n', start)
  const updates: Uint8Array[] = []
  const on = (u: Uint8Array) => updates.push(u)
  doc.on('update', on)
  if (end > start) text.delete(start, end - start)
  for (let i = 0; i < typed.length; i++) text.insert(start + i, typed[i]!)
  doc.off('update', on)
  return { removedChars: end - start, typedChars: typed.length, transactions: updates.length, mergedUpdateBytes: Y.mergeUpdates(updates).byteLength }
}

const { chunks, full, info } = generateProject()

// 1. account and project
const email = `offline-bench-${Date.now()}@example.com`
const signed = await api.signup(email, 'offline-bench-password-123')
if (!signed.ok) throw new Error(`signup: ${JSON.stringify(signed)}`)
const created = await api.createProject('offline bench')
if (!created.ok) throw new Error(`create project: ${JSON.stringify(created)}`)
const projectId = created.value.id

// 2. upload
const NEVER = 2 ** 30
const docA = new Y.Doc()
const bookA = memoryBookkeeping()
const clientA = new HttpSyncClient(docA, projectId, api, { debounceMs: NEVER, pollMs: 0, bookkeeping: bookA })
await round(clientA)
const upload: Array<{ pushBodyBytes: number; ms: number }> = []
for (const chunk of chunks as Uint8Array[]) {
  Y.applyUpdate(docA, chunk)
  const t0 = performance.now()
  const r = await round(clientA)
  upload.push({ pushBodyBytes: r.pushBodyBytes, ms: Math.round(performance.now() - t0) })
}
const same = Buffer.compare(Buffer.from(Y.encodeStateAsUpdate(docA)), Buffer.from(full as Uint8Array)) === 0
const serverCheck = await round(clientA) // nothing new either way: an idle round

// 3. one-line edit, same session
const svBefore = lastServerSv
const LINE = 'const offlineBench = computeTotal(items, 42)'.slice(0, 40)
const editA = editLine(docA, 'index.js', 4, LINE)
const naiveA = Y.encodeStateAsUpdate(docA, svBefore).byteLength
const sameSession = { edit: editA, naiveEncodeStateAsUpdateBytes: naiveA, round: await round(clientA) }
clientA.dispose()

// 4. after reload: a new page load holds the same doc (from IndexedDB) under a new client id
const docB = new Y.Doc()
Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA), 'indexeddb')
const clientB = new HttpSyncClient(docB, projectId, api, { debounceMs: NEVER, pollMs: 0, bookkeeping: memoryBookkeeping(bookA.peek()) })
const openRound = await round(clientB)
const svB = lastServerSv
const editB = editLine(docB, 'index.js', 6, LINE)
const naiveB = Y.encodeStateAsUpdate(docB, svB).byteLength
const editRound = await round(clientB)
const idlePoll = await round(clientB)
clientB.dispose()

// what the server holds
log = []
const finalPull = await api.pull(projectId, new Uint8Array([0]))
const serverDoc = new Y.Doc()
if (finalPull.ok) Y.applyUpdate(serverDoc, finalPull.value.update)
const converged = finalPull.ok && serverDoc.getMap<Y.Text>(FILES_MAP).get('index.js')?.toString() === docB.getMap<Y.Text>(FILES_MAP).get('index.js')?.toString()

console.log(
  JSON.stringify({
    project: info,
    projectId,
    upload: { chunks: upload, uploadedEqualsGenerated: same, idleRoundAfterUpload: serverCheck },
    sameSession,
    afterReload: { openRound, edit: editB, naiveEncodeStateAsUpdateBytes: naiveB, editRound, idlePoll },
    serverFullStateBytes: finalPull.ok ? finalPull.value.update.byteLength : null,
    serverStateVectorBytes: finalPull.ok ? finalPull.value.stateVector.byteLength : null,
    converged,
  }),
)
process.exit(0)
