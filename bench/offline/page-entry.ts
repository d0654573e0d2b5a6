// Browser side of `bench/offline.mjs`, bundled by esbuild into one ES module and served on the app's origin
// (page.route), so it shares the app's IndexedDB. Exposes `window.__offline`.
// The doc's root map is spelled 'files' here rather than imported as FILES_MAP: @slipway/shared brings its zod schemas
// into the bundle (300 KB → 1.1 MB of harness for every page that loads it).
import * as Y from 'yjs'
import { DocPersistence } from '../../web/src/adapters/persistence/DocPersistence.ts'

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
}
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
}
async function deleteDb(name: string) {
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(name)
    r.onsuccess = r.onerror = r.onblocked = () => resolve()
  })
}
async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer())
}

/// A y-indexeddb database (version 1: `updates` autoIncrement, `custom`) holding `update` as its only row.
async function writeDocDb(name: string, update: Uint8Array) {
  await deleteDb(name)
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    open.result.createObjectStore('updates', { autoIncrement: true })
    open.result.createObjectStore('custom')
  }
  const db = await req(open)
  const tx = db.transaction(['updates'], 'readwrite')
  tx.objectStore('updates').add(update)
  await done(tx)
  db.close()
}

/// The project row (LocalStore's `slipway` DB, version 2) and its doc DB.
async function seedProject(project: { id: string; name: string }, seedUrl: string) {
  const update = await fetchBytes(seedUrl)
  const open = indexedDB.open('slipway', 2)
  open.onupgradeneeded = (e) => {
    const db = open.result
    if (e.oldVersion < 1) {
      db.createObjectStore('projects')
      db.createObjectStore('views')
    }
    if (e.oldVersion < 2) db.createObjectStore('sync')
  }
  // A newer app (a later LocalStore version) already upgraded this origin's store: use it as it is.
  const db = await req(open).catch((err: unknown) => {
    if (err instanceof DOMException && err.name === 'VersionError') return req(indexedDB.open('slipway'))
    throw err
  })
  const now = new Date().toISOString()
  const tx = db.transaction(['projects', 'views'], 'readwrite')
  tx.objectStore('projects').put({ id: project.id, name: project.name, template: null, origin: 'local', createdAt: now, updatedAt: now }, project.id)
  tx.objectStore('views').delete(project.id)
  await done(tx)
  db.close()
  await writeDocDb(`slipway-doc-${project.id}`, update)
  return { bytes: update.byteLength }
}

/// Baseline variant: read the doc DB and apply it to a Y.Doc (what any Yjs-based app has to do at least).
async function readAndDecode(name: string) {
  const t0 = performance.now()
  const db = await req(indexedDB.open(name))
  const tOpen = performance.now()
  const rows = (await req(db.transaction(['updates'], 'readonly').objectStore('updates').getAll())) as Uint8Array[]
  const tRead = performance.now()
  const doc = new Y.Doc()
  Y.transact(doc, () => rows.forEach((u) => Y.applyUpdate(doc, u)))
  const files = doc.getMap('files').size
  const tDecode = performance.now()
  db.close()
  doc.destroy()
  return { t0, open: tOpen, read: tRead, decoded: tDecode, rows: rows.length, files }
}

interface KeyOpts {
  db: string
  seedUrl?: string
  file: string
  n: number
  minGapMs: number
  maxGapMs: number
  /// type in bursts of this many keys with `pauseMs` between them (0: no bursts)
  burst?: number
  pauseMs?: number
}

/// Opens `db` with the app's DocPersistence (no BroadcastChannel) and types `n` single characters into `file`,
/// one transaction per key, spaced `minGapMs`..`maxGapMs` apart; returns the `onStored` samples (ms from the edit to
/// its IndexedDB transaction committing) and how late the keys came (main-thread stalls).
async function keystrokes(o: KeyOpts) {
  if (o.seedUrl) await writeDocDb(o.db, await fetchBytes(o.seedUrl))
  else await deleteDb(o.db)
  const doc = new Y.Doc()
  const stored: number[] = []
  let failed = 0
  const tLoad = performance.now()
  const p = await DocPersistence.open(o.db, doc, { channel: null, onStored: (ms) => stored.push(ms) })
  const loadMs = performance.now() - tLoad
  p.status.subscribe(() => void (p.status.get().state === 'failing' && failed++))
  const files = doc.getMap<Y.Text>('files')
  if (!files.has(o.file)) files.set(o.file, new Y.Text('// typed\n'))
  // the set() above (and nothing else) is not a keystroke: let its write land first
  const settle = performance.now() + 2000
  while (!stored.length && performance.now() < settle) await new Promise((r) => setTimeout(r, 10))
  await new Promise((r) => setTimeout(r, 50))
  stored.length = 0
  const text = files.get(o.file)!
  let cursor = Math.min(text.length, 40)
  const lateness: number[] = []
  const chars = 'abcdefghijklmnopqrstuvwxyz  (){};=.\n'
  const t0 = performance.now()
  for (let i = 0; i < o.n; i++) {
    const gap = o.minGapMs + Math.random() * (o.maxGapMs - o.minGapMs)
    const pause = o.burst && i > 0 && i % o.burst === 0 ? (o.pauseMs ?? 0) : 0
    const due = performance.now() + gap + pause
    await new Promise((r) => setTimeout(r, gap + pause))
    lateness.push(performance.now() - due)
    text.insert(cursor++, chars[i % chars.length]!)
  }
  const typedMs = performance.now() - t0
  const deadline = performance.now() + 60_000
  while (stored.length < o.n && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  await p.destroy()
  doc.destroy()
  await deleteDb(o.db)
  return { stored, lateness, loadMs, typedMs, failed, docLength: text.length }
}

/// The text of `path` in the doc DB `name` as stored (every row applied to a fresh Y.Doc): what the app has kept of an
/// edit, read without anything of the app's. Null when the file is not there.
async function readText(name: string, path: string) {
  const db = await req(indexedDB.open(name))
  const rows = (await req(db.transaction(['updates'], 'readonly').objectStore('updates').getAll())) as Uint8Array[]
  db.close()
  const doc = new Y.Doc()
  Y.transact(doc, () => rows.forEach((u) => Y.applyUpdate(doc, u)))
  const text = doc.getMap('files').get(path)
  const out = text instanceof Y.Text ? text.toString() : null
  doc.destroy()
  return { text: out, rows: rows.length }
}

;(window as unknown as { __offline: unknown }).__offline = { seedProject, readAndDecode, keystrokes, writeDocDb, readText, Y }
