import { monitorEventLoopDelay } from 'node:perf_hooks'
import { ErrorBodySchema, FILES_MAP, FOLDERS_MAP, LIMITS, checkProjectPath, fromBase64Url, toBase64Url } from '@slipway/shared'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { openDatabase, schema } from '../../adapters/db/index.ts'
import type { Database } from '../../adapters/db/index.ts'
import { TestClient, testApp } from '../../test/app.ts'
import { MIGRATIONS, createScratchPostgres, postgresUnavailable } from '../../test/databases.ts'
import { SyncingDevice, fileDigests, rng, serverDigests } from '../../test/sync-client.ts'

/// Fuzz of `POST /api/projects/:id/sync` (issue 15): seeded random Yjs updates against the real app. Every push
/// answers 2xx or 4xx (a 4xx in the shared error shape, with no internal exception text), the event loop stays
/// responsive, nothing outside the project-doc layout is ever stored, and a device syncing through it all loses
/// nothing.
///
/// Replay a failure with its seed: `FUZZ_SEED=<seed> [FUZZ_CASES=<n>] npx vitest run src/routes/sync/fuzz.test.ts`.
/// A failure names the case number and kind, and carries the update (base64url) when it is small.

const SEED = Number(process.env.FUZZ_SEED ?? 15)
const CASES = Number(process.env.FUZZ_CASES ?? 1000)
const MAX_LOOP_DELAY_MS = 1000
const HEALTH_PERIOD_MS = 100

// ---------------------------------------------------------------------------------------------------------------
// Hand-assembled v1 updates (yjs UpdateEncoderV1), so a struct can be anything the format can say.

type Id = { client: number; clock: number }

type HandStruct =
  | { t: 'gc' | 'skip'; length: number }
  | {
      t: 'item'
      /// Content ref (low 5 bits of the info byte); `info` overrides the whole byte.
      ref: number
      info?: number
      origin?: Id | null
      right?: Id | null
      parent?: string | Id
      parentSub?: string | null
      content: (w: V1Writer) => void
      /// Clocks it takes (1 unless said), for naming the structs after it.
      length?: number
    }

type Placement = Pick<Extract<HandStruct, { t: 'item' }>, 'origin' | 'right' | 'parent' | 'parentSub'>

interface HandClient {
  client: number
  clock: number
  structs: HandStruct[]
}

const utf8 = new TextEncoder()
/// UTF-16 length of a string as Yjs reads it back (a lone surrogate is sent as U+FFFD, one unit too).
const units = (s: string) => new TextDecoder().decode(utf8.encode(s)).length

class V1Writer {
  private out: number[] = []
  u8(x: number) {
    this.out.push(x & 0xff)
  }
  varUint(n: number) {
    while (n > 0x7f) {
      this.out.push(0x80 | n % 0x80)
      n = Math.floor(n / 0x80)
    }
    this.out.push(n)
  }
  raw(bytes: Uint8Array) {
    for (const b of bytes) this.out.push(b)
  }
  buf(bytes: Uint8Array) {
    this.varUint(bytes.length)
    this.raw(bytes)
  }
  string(s: string) {
    this.buf(utf8.encode(s))
  }
  id(id: Id) {
    this.varUint(id.client)
    this.varUint(id.clock)
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.out)
  }
}

function assemble(clients: HandClient[], deletes: Array<[number, Array<[number, number]>]> = [], trailing?: Uint8Array): Uint8Array {
  const w = new V1Writer()
  w.varUint(clients.length)
  for (const c of clients) {
    w.varUint(c.structs.length)
    w.varUint(c.client)
    w.varUint(c.clock)
    for (const s of c.structs) {
      if (s.t !== 'item') {
        w.u8(s.t === 'gc' ? 0 : 10)
        w.varUint(s.length)
        continue
      }
      const info = s.info ?? (s.ref | (s.origin ? 0x80 : 0) | (s.right ? 0x40 : 0) | (s.parentSub != null ? 0x20 : 0))
      w.u8(info)
      if (info & 0x80) w.id(s.origin ?? { client: 1, clock: 0 })
      if (info & 0x40) w.id(s.right ?? { client: 1, clock: 0 })
      if ((info & 0xc0) === 0) {
        const parent = s.parent ?? FILES_MAP
        if (typeof parent === 'string') {
          w.varUint(1)
          w.string(parent)
        } else {
          w.varUint(0)
          w.id(parent)
        }
        if (info & 0x20) w.string(s.parentSub ?? '')
      }
      s.content(w)
    }
  }
  w.varUint(deletes.length)
  for (const [client, ranges] of deletes) {
    w.varUint(client)
    w.varUint(ranges.length)
    for (const [clock, len] of ranges) {
      w.varUint(clock)
      w.varUint(len)
    }
  }
  if (trailing) w.raw(trailing)
  return w.finish()
}

const REF = { deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9 } as const
const content = {
  string: (s: string) => (w: V1Writer) => w.string(s),
  binary: (b: Uint8Array) => (w: V1Writer) => w.buf(b),
  deleted: (n: number) => (w: V1Writer) => w.varUint(n),
  type: (typeRef: number, name = 'div') => (w: V1Writer) => {
    w.varUint(typeRef)
    if (typeRef === 3 || typeRef === 5) w.string(name)
  },
  embed: (json: string) => (w: V1Writer) => w.string(json),
  format: (key: string, json: string) => (w: V1Writer) => {
    w.string(key)
    w.string(json)
  },
  json: (values: string[]) => (w: V1Writer) => {
    w.varUint(values.length)
    for (const v of values) w.string(v)
  },
  /// A folder's value: one lib0 `writeAny` `true` (120).
  flag: (w: V1Writer) => {
    w.varUint(1)
    w.u8(120)
  },
  /// lib0 `writeAny` values: objects (118) of one string (119).
  any: (n: number) => (w: V1Writer) => {
    w.varUint(n)
    for (let i = 0; i < n; i++) {
      w.u8(118)
      w.varUint(1)
      w.string('k')
      w.u8(119)
      w.string(`v${i}`)
    }
  },
  doc: (guid: string) => (w: V1Writer) => {
    w.string(guid)
    w.u8(118)
    w.varUint(0)
  },
  raw: (bytes: Uint8Array) => (w: V1Writer) => w.raw(bytes),
}

// ---------------------------------------------------------------------------------------------------------------
// The layout, checked on what the database holds.

/// What in `doc` lies outside the layout: `files` maps a path to a `Y.Text` of strings or to bytes, `folders` a path
/// to `true`. Every struct is looked at, not just the maps' live values. Built with `gc: false`, a doc keeps deleted
/// content as it was sent: `strict` counts that too; otherwise deleted structs are only counted (`deletedOutside`),
/// as the brief allows ("ContentString, or deleted").
function layoutProblems(doc: Y.Doc, strict: boolean): { problems: string[]; deletedOutside: number } {
  const problems: string[] = []
  let deletedOutside = 0
  const roots = [...doc.share.keys()]
  if (roots.some((k) => k !== FILES_MAP && k !== FOLDERS_MAP)) problems.push(`root types ${JSON.stringify(roots)}`)
  const files = doc.getMap(FILES_MAP)
  const folders = doc.share.has(FOLDERS_MAP) ? doc.getMap(FOLDERS_MAP) : undefined
  const isFlag = (c: unknown) => c instanceof Y.ContentAny && c.arr.length === 1 && c.arr[0] === true
  const isFileText = (t: unknown): t is Y.Text =>
    t instanceof Y.Text && t.constructor === Y.Text && t._item?.parent === files && typeof t._item.parentSub === 'string'
  const outside = (s: Y.Item, what: string) => {
    if (s.deleted && !strict) deletedOutside++
    else problems.push(`${s.id.client}:${s.id.clock}${s.deleted ? ' (deleted)' : ''}: ${what}`)
  }
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue
      const c = s.content
      if (s.parent === files) {
        if (typeof s.parentSub !== 'string') outside(s, 'a list item in the files map')
        else if (!(c instanceof Y.ContentBinary || c instanceof Y.ContentDeleted || (c instanceof Y.ContentType && isFileText(c.type)))) {
          outside(s, `files[${JSON.stringify(s.parentSub)}] holds ${c.constructor.name}`)
        } else if (!checkProjectPath(s.parentSub).ok) outside(s, `bad path ${JSON.stringify(s.parentSub)}`)
      } else if (folders && s.parent === folders) {
        if (typeof s.parentSub !== 'string') outside(s, 'a list item in the folders map')
        else if (!(isFlag(c) || c instanceof Y.ContentDeleted)) outside(s, `folders[${JSON.stringify(s.parentSub)}] holds ${c.constructor.name}`)
        else if (!checkProjectPath(s.parentSub).ok) outside(s, `bad folder path ${JSON.stringify(s.parentSub)}`)
      } else if (isFileText(s.parent)) {
        if (s.parentSub !== null) outside(s, `a text attribute ${JSON.stringify(s.parentSub)}`)
        else if (!(c instanceof Y.ContentString || c instanceof Y.ContentDeleted)) outside(s, `a text holds ${c.constructor.name}`)
      } else outside(s, `${c.constructor.name} outside the layout`)
    }
  }
  for (const [path, value] of files.entries()) {
    if (value instanceof Uint8Array) continue
    if (!isFileText(value)) {
      problems.push(`files[${JSON.stringify(path)}] is ${(value as object)?.constructor?.name ?? typeof value}`)
      continue
    }
    // The walk every reader of a text does (textPieces): strings only, or deleted items.
    for (let item = value._start; item !== null; item = item.right) {
      if (!item.deleted && !(item.content instanceof Y.ContentString)) problems.push(`${path}: ${item.content.constructor.name} in the text`)
    }
  }
  for (const [path, value] of folders?.entries() ?? []) if (value !== true) problems.push(`folders[${JSON.stringify(path)}] is ${String(value)}`)
  if (doc.store.pendingStructs || doc.store.pendingDs) problems.push('the stored log depends on structs it lacks')
  return { problems, deletedOutside }
}

/// What the doc holds, comparable across docs: `file:<path>` → text or base64url bytes, `folder:<path>` → its value.
function contents(doc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, value] of doc.getMap<Y.Text | Uint8Array>(FILES_MAP).entries()) {
    out[`file:${path}`] = value instanceof Y.Text ? `text:${value.toString()}` : `bytes:${toBase64Url(value)}`
  }
  for (const [path, value] of doc.getMap(FOLDERS_MAP).entries()) out[`folder:${path}`] = String(value)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// The generator.

/// What a case must answer: `ok` 200; `refused` some 4xx; `incomplete` 200 or 409; `any` 2xx or 4xx.
type Expect = 'ok' | 'refused' | 'incomplete' | 'any'

interface Case {
  kind: string
  update: Uint8Array
  expect: Expect
  /// The device that pushes it (its state vector follows a 200); the project's pusher otherwise.
  device?: SyncingDevice
}

const GOOD_PATHS = [
  'a.txt',
  'index.js',
  'src/main.ts',
  'src/deep/er/still/x.md',
  'docs/ünïcödé 🚀.md',
  'img/logo.png',
  'data.bin',
  'pkg/package.json',
  'space in name.txt',
  '.gitignore',
  'a.env.example',
]
const GOOD_FOLDERS = ['src', 'src/empty', 'docs/ünï', 'assets/img', '.github', 'a b']
const BAD_PATHS = [
  '../x',
  'src/../../etc/passwd',
  'node_modules/x',
  'a/node_modules/b/index.js',
  '.env',
  'app/.env.local',
  '.git/config',
  'dist/main.js',
  '/etc/passwd',
  'C:/x',
  'a\\b',
  'a//b',
  'a/./b',
  '',
  'a\u0000b',
  'line\nbreak',
  'x'.repeat(LIMITS.maxPathBytes + 1),
]
const PIECES = ['x', 'hello ', 'line\n', '\r\n', '\t', 'é', 'Ω≈ç√', '你好', '🚀', '👩‍👩‍👧', '\ud83d', '\ude80', '\u0000', '\uFEFF', 'x'.repeat(300)]
/// Edits of the valid device use no lone surrogates, so its text can be compared exactly.
const VALID_PIECES = ['hello ', 'é', '你好', '🚀', 'line\n']

const FORBIDDEN = [
  'map value',
  'array value',
  'xml fragment',
  'xml text',
  'xml element',
  'any value',
  'subdoc',
  'subdoc in an array',
  'embed',
  'map embed',
  'text in a text',
  'format',
  'format range',
  'other root map',
  'other root text',
  'other root array',
  'other root xml',
  'deep chain',
  'deep chain in a text',
  'bad path text',
  'bad path bytes',
  'folder value',
  'folder text',
  'folder map',
  'folder bad path',
  'true as a file',
] as const

const MUTATIONS = ['flip', 'set', 'insert', 'delete', 'truncate', 'append', 'huge varint', 'duplicate', 'swap'] as const

/// The IDs a pulled copy of the server's doc holds, by kind, for hand-assembled structs to point at.
interface IdPool {
  texts: Id[]
  strings: Id[]
  binaries: Id[]
  /// Folder entries (`true`).
  flags: Id[]
  deleted: Id[]
  gc: Id[]
  /// IDs inside a multi-character string item (Yjs splits there).
  inner: Id[]
  clients: Array<{ client: number; state: number }>
  /// Live texts with their live string items, for well-formed inserts.
  live: Array<{ text: Id; items: Id[] }>
}

function idPool(doc: Y.Doc, exclude: ReadonlySet<number>): IdPool {
  const pool: IdPool = { texts: [], strings: [], binaries: [], flags: [], deleted: [], gc: [], inner: [], clients: [], live: [] }
  for (const [client, structs] of doc.store.clients) {
    if (exclude.has(client)) continue
    pool.clients.push({ client, state: Y.getState(doc.store, client) })
    for (const s of structs) {
      const id = { client, clock: s.id.clock }
      if (!(s instanceof Y.Item)) pool.gc.push(id)
      else if (s.deleted) pool.deleted.push(id)
      else if (s.content instanceof Y.ContentType) pool.texts.push(id)
      else if (s.content instanceof Y.ContentBinary) pool.binaries.push(id)
      else if (s.content instanceof Y.ContentAny) pool.flags.push(id)
      else if (s.content instanceof Y.ContentString) {
        pool.strings.push(id)
        if (s.length > 1) pool.inner.push({ client, clock: s.id.clock + 1 + ((s.id.clock * 7) % (s.length - 1)) })
      }
    }
  }
  for (const [path, value] of doc.getMap(FILES_MAP).entries()) {
    if (!(value instanceof Y.Text) || !value._item || exclude.has(value._item.id.client) || path.startsWith('valid/')) continue
    const items: Id[] = []
    for (let item = value._start; item !== null; item = item.right) {
      if (!item.deleted) items.push({ client: item.id.client, clock: item.id.clock + item.length - 1 })
    }
    pool.live.push({ text: value._item.id, items })
  }
  return pool
}

function createFuzzer(seed: number, http: TestClient, projectId: string, validClient: number) {
  const r = rng(seed)
  let nextClientId = 1_000
  const freshClient = () => nextClientId++
  /// Clients of hand-assembled updates, which may continue where they left off.
  const handClients: number[] = []
  const newDevice = () => {
    const d = new SyncingDevice(http, projectId)
    d.doc.clientID = freshClient()
    return d
  }
  let devices = [newDevice(), newDevice(), newDevice()]
  const spy = newDevice()
  const history: Uint8Array[] = []
  const notValid = Y.encodeStateVector(new Map([[validClient, Number.MAX_SAFE_INTEGER]]))
  let pool: IdPool = idPool(spy.doc, new Set())
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => r.int(256))
  const maybe = (p: number) => r.next() < p

  const refresh = async () => {
    await spy.pull()
    pool = idPool(spy.doc, new Set([validClient]))
  }

  /// Real edits a person could make: text inserts and deletes (any characters, surrogate pairs split or not), new
  /// files, binaries, deletions, replacements, empty folders.
  function validEdit(d: SyncingDevice) {
    d.doc.transact(() => {
      for (let k = 1 + r.int(4); k > 0; k--) {
        const path = r.pick(GOOD_PATHS)
        const value = d.files.get(path)
        const op = r.int(10)
        if (op === 9 && maybe(0.5)) {
          // An empty folder made or removed.
          const folders = d.doc.getMap<true>(FOLDERS_MAP)
          const folder = r.pick(GOOD_FOLDERS)
          if (folders.has(folder) && maybe(0.5)) folders.delete(folder)
          else folders.set(folder, true)
        } else if (value instanceof Y.Text && op < 5) value.insert(r.int(value.length + 1), r.pick(PIECES).repeat(1 + r.int(3)))
        else if (value instanceof Y.Text && op < 7 && value.length > 0) {
          const at = r.int(value.length)
          value.delete(at, 1 + r.int(Math.min(20, value.length - at)))
        } else if (op < 8) d.files.set(path, new Y.Text(r.pick(PIECES)))
        else if (op < 9) d.files.set(path, bytes(r.int(2048)))
        else d.files.delete(path)
      }
    })
  }

  /// A copy of `d` (as a new client) that makes one forbidden change. `expect` is `any` where the change might
  /// legitimately vanish (a text the server has deleted since).
  function forbidden(d: SyncingDevice): Case {
    const clone = new Y.Doc()
    clone.clientID = freshClient()
    Y.applyUpdate(clone, Y.encodeStateAsUpdate(d.doc))
    const base = maybe(0.5) ? d.serverSv : Y.encodeStateVector(clone)
    const files = clone.getMap<unknown>(FILES_MAP)
    const folders = clone.getMap<unknown>(FOLDERS_MAP)
    const kind = r.pick(FORBIDDEN)
    const path = `f/${r.int(50)}`
    let expect: Expect = 'refused'
    /// A text of the clone's, or a new one. A Y.Text inside a text is refused by where it sits, not by what it is:
    /// inside a text the server has deleted since (and collected), Yjs drops it, and the check lets it through.
    const someText = (stale: Expect = 'refused'): Y.Text => {
      const texts = [...files.entries()].filter((e): e is [string, Y.Text] => e[1] instanceof Y.Text && !e[0].startsWith('valid/'))
      if (texts.length && maybe(0.8)) {
        expect = stale
        return r.pick(texts)[1]
      }
      files.set(path, new Y.Text('abc'))
      return files.get(path) as Y.Text
    }
    const chain = (depth: number): Y.Map<unknown> => {
      const top = new Y.Map<unknown>()
      let at = top
      for (let i = 0; i < depth; i++) {
        const next = new Y.Map<unknown>()
        at.set('m', next)
        at = next
      }
      for (let k = r.int(20); k > 0; k--) at.set(`c${k}`, new Y.Map())
      return top
    }
    clone.transact(() => {
      switch (kind) {
        case 'map value':
          files.set(path, new Y.Map([['k', 'v']]))
          break
        case 'array value':
          files.set(path, Y.Array.from([1, 'two', { three: 3 }]))
          break
        case 'xml fragment':
          files.set(path, new Y.XmlFragment())
          break
        case 'xml text':
          files.set(path, new Y.XmlText('x'))
          break
        case 'xml element':
          files.set(path, new Y.XmlElement('div'))
          break
        case 'any value':
          files.set(path, r.pick<unknown>(['a string', 42, 1.5, null, true, { a: [1, { b: 'c' }] }, [1, 2, 3]]))
          break
        case 'subdoc':
          files.set(path, new Y.Doc())
          break
        case 'subdoc in an array':
          files.set(path, Y.Array.from([new Y.Doc()]))
          break
        case 'embed': {
          const t = someText()
          t.insertEmbed(r.int(t.length + 1), { image: 'x'.repeat(r.int(100)) })
          break
        }
        case 'map embed': {
          const t = someText()
          t.insertEmbed(r.int(t.length + 1), new Y.Map([['k', 1]]))
          break
        }
        case 'text in a text': {
          const t = someText('any')
          t.insertEmbed(r.int(t.length + 1), new Y.Text('inner'))
          break
        }
        case 'format': {
          const t = someText()
          t.insert(r.int(t.length + 1), 'bold', { bold: true })
          break
        }
        case 'format range': {
          const t = someText()
          if (t.length === 0) t.insert(0, 'abc')
          t.format(0, t.length, { italic: true })
          break
        }
        case 'other root map':
          clone.getMap(r.pick(['sneaky', 'files2', 'FILES', ''])).set('x', 1)
          break
        case 'other root text':
          clone.getText('notes').insert(0, 'x')
          break
        case 'other root array':
          clone.getArray('a').push(['x'])
          break
        case 'other root xml':
          clone.getXmlFragment('x').insert(0, [new Y.XmlText('t')])
          break
        case 'deep chain':
          files.set(path, chain(2 + r.int(300)))
          break
        case 'deep chain in a text':
          someText().insertEmbed(0, chain(2 + r.int(300)))
          break
        case 'bad path text':
          files.set(r.pick(BAD_PATHS), new Y.Text('bad'))
          break
        case 'bad path bytes':
          files.set(r.pick(BAD_PATHS), bytes(r.int(64)))
          break
        case 'folder value':
          folders.set(path, r.pick<unknown>([false, 1, 'true', null, { true: true }, [true], bytes(1)]))
          break
        case 'folder text':
          folders.set(path, new Y.Text('x'))
          break
        case 'folder map':
          folders.set(path, chain(1 + r.int(20)))
          break
        case 'folder bad path':
          folders.set(r.pick(BAD_PATHS), true)
          break
        case 'true as a file':
          files.set(path, true)
          break
        default:
          throw new RangeError(`Unknown forbidden kind ${String(kind satisfies never)}`)
      }
      // Deleted again in the same transaction: Yjs sends the struct with its content already dropped.
      if (maybe(0.1) && (files.has(path) || folders.has(path))) {
        files.delete(path)
        folders.delete(path)
        expect = 'any'
      }
    })
    return { kind: `forbidden: ${kind}`, update: Y.encodeStateAsUpdate(clone, base), expect }
  }

  function mutate(update: Uint8Array): { update: Uint8Array; how: string } {
    let b = Array.from(update)
    const hows: string[] = []
    for (let k = 1 + r.int(4); k > 0; k--) {
      const how = r.pick(MUTATIONS)
      hows.push(how)
      const at = r.int(b.length + 1)
      switch (how) {
        case 'flip':
          if (b.length) b[at % b.length]! ^= 1 << r.int(8)
          break
        case 'set':
          if (b.length) b[at % b.length] = r.int(256)
          break
        case 'insert':
          b.splice(at, 0, ...bytes(1 + r.int(8)))
          break
        case 'delete':
          b.splice(at, 1 + r.int(8))
          break
        case 'truncate':
          b = b.slice(0, Math.max(1, at))
          break
        case 'append':
          b.push(...bytes(1 + r.int(16)))
          break
        case 'huge varint':
          b.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
          break
        case 'duplicate': {
          const from = r.int(b.length + 1)
          b.splice(at, 0, ...b.slice(from, from + 1 + r.int(32)))
          break
        }
        case 'swap': {
          const other = r.int(b.length + 1)
          if (at < b.length && other < b.length) [b[at], b[other]] = [b[other]!, b[at]!]
          break
        }
        default:
          throw new RangeError(`Unknown mutation ${String(how satisfies never)}`)
      }
    }
    return { update: Uint8Array.from(b.length ? b : [0]), how: hows.join('+') }
  }

  const anyId = (): Id => {
    const kinds = [pool.texts, pool.strings, pool.binaries, pool.flags, pool.deleted, pool.gc, pool.inner].filter((k) => k.length)
    if (!kinds.length || maybe(0.1)) return { client: r.int(2 ** 32), clock: r.int(1000) }
    return r.pick(r.pick(kinds))
  }
  const path = () => (maybe(0.85) ? (maybe(0.5) ? r.pick(GOOD_PATHS) : `h/${r.int(200)}`) : r.pick(BAD_PATHS))

  /// One hand-assembled struct of a random kind. `refusedContent`: content the layout refuses wherever it sits, so
  /// the update must be refused; structural oddities may go either way (`self`: its own id; `prev`: the one before).
  function handStruct(self: Id, prev: Id | null): { s: HandStruct; refusedContent: boolean } {
    const text = r.pick(PIECES)
    const aText = () => (pool.texts.length ? r.pick(pool.texts) : anyId())
    const str = (at: Placement): HandStruct => ({ t: 'item', ref: REF.string, ...at, content: content.string(text), length: units(text) })
    const allowed = (s: HandStruct) => ({ s, refusedContent: false })
    const refused = (ref: number, at: Placement, write: (w: V1Writer) => void, length = 1) => ({
      s: { t: 'item' as const, ref, ...at, content: write, length },
      refusedContent: true,
    })
    const entry = (): Placement => ({ parent: FILES_MAP, parentSub: path() })
    switch (r.int(25)) {
      case 0:
        return allowed({ t: 'gc', length: maybe(0.9) ? 1 + r.int(10) : r.pick([0, 2 ** 31, 2 ** 52]) })
      case 1:
        return allowed({ t: 'skip', length: maybe(0.9) ? 1 + r.int(10) : 0 })
      case 2: // a new file at a random path
        return allowed(
          maybe(0.5)
            ? { t: 'item', ref: REF.type, ...entry(), content: content.type(2) }
            : { t: 'item', ref: REF.binary, ...entry(), content: content.binary(bytes(r.int(64))) },
        )
      case 3: // into a text, by parent, after some struct, before some struct, or between two
        return allowed(str({ parent: aText() }))
      case 4:
        return allowed(str({ origin: anyId() }))
      case 5:
        return allowed(str({ right: anyId() }))
      case 6:
        return allowed(str({ origin: anyId(), right: anyId() }))
      case 7: // parented to any struct at all, with or without a key
        return allowed(str({ parent: anyId(), parentSub: maybe(0.3) ? 'k' : null }))
      case 8: {
        const n = 1 + r.int(5)
        const at = maybe(0.5) ? entry() : { parent: anyId(), parentSub: maybe(0.5) ? path() : null }
        return allowed({ t: 'item', ref: REF.deleted, ...at, content: content.deleted(n), length: n })
      }
      case 9:
        return refused(REF.embed, { parent: aText() }, content.embed('{"image":"x"}'))
      case 10:
        return refused(REF.format, { origin: anyId() }, content.format('bold', 'true'))
      case 11:
        return refused(REF.json, entry(), content.json(['1', '"x"', 'undefined']), 3)
      case 12:
        return refused(REF.any, entry(), content.any(2), 2)
      case 13:
        return refused(REF.doc, entry(), content.doc('guid'))
      case 14: // any type but Y.Text
        return refused(REF.type, maybe(0.5) ? entry() : { parent: anyId() }, content.type(r.pick([0, 1, 3, 4, 5, 6])))
      case 15: // a Y.Text inside a text
        return allowed({ t: 'item', ref: REF.type, parent: aText(), content: content.type(2) })
      case 16: // a text attribute
        return allowed(str({ parent: aText(), parentSub: 'lang' }))
      case 17: // another root, or the files map as a list
        return allowed(str({ parent: r.pick(['other', '', 'fileS', FILES_MAP, FOLDERS_MAP, '🚀']), parentSub: maybe(0.5) ? 'a.txt' : null }))
      case 18: // refers to itself: a cycle
        return allowed(str(maybe(0.5) ? { origin: self } : { parent: self }))
      case 19: // refers to the struct before it
        return allowed(str(prev && maybe(0.5) ? { origin: prev } : { parent: prev ?? anyId() }))
      case 20: {
        const c = pool.clients.length ? r.pick(pool.clients) : { client: 7, state: 0 }
        return allowed(str({ origin: { client: c.client, clock: c.state + 1 + r.int(2 ** 30) } })) // far in the future
      }
      case 21: // a folder's `true`, in the folders map, the files map, or a text
        return allowed({
          t: 'item',
          ref: REF.any,
          ...r.pick<Placement>([{ parent: FOLDERS_MAP, parentSub: path() }, entry(), { parent: aText() }, { origin: anyId() }]),
          content: content.flag,
        })
      case 22: // an unknown content ref
        return allowed({ t: 'item', ref: 10 + r.int(22), parent: FILES_MAP, parentSub: 'a.txt', content: content.raw(bytes(r.int(8))) })
      default: {
        // any info byte, the fields it says, then random bytes
        const info = r.int(256)
        const at = { origin: anyId(), right: anyId(), parent: maybe(0.5) ? FILES_MAP : anyId(), parentSub: path() }
        return allowed({ t: 'item', ref: info & 0x1f, info, ...at, content: content.raw(bytes(r.int(12))) })
      }
    }
  }

  function handAssembled(): Case {
    // A well-formed insert into a live text (from a fresh client): the checker must let it through.
    if (maybe(0.2) && pool.live.length) {
      const { text, items } = r.pick(pool.live)
      const client = freshClient()
      const origin = items.length && maybe(0.7) ? r.pick(items) : null
      const s: HandStruct = origin
        ? { t: 'item', ref: REF.string, origin, content: content.string(r.pick(PIECES)) }
        : { t: 'item', ref: REF.string, parent: text, content: content.string(r.pick(PIECES)) }
      handClients.push(client)
      return { kind: 'hand: insert into a live text', update: assemble([{ client, clock: 0, structs: [s] }]), expect: 'ok' }
    }
    const clients: HandClient[] = []
    let refusedContent = false
    let certain = true
    for (let c = 1 + r.int(3); c > 0; c--) {
      const pickOld = handClients.length > 0 && maybe(0.3)
      const client = pickOld ? r.pick(handClients) : freshClient()
      const known = pool.clients.find((k) => k.client === client)?.state ?? 0
      const clock = maybe(0.85) ? known : maybe(0.5) ? r.int(known + 1) : known + 1 + r.int(1000)
      if (pickOld) certain = false // its state may have moved since the pool was read
      if (!pickOld) handClients.push(client)
      const structs: HandStruct[] = []
      let at = clock
      let prev: Id | null = null
      for (let n = 1 + r.int(8); n > 0; n--) {
        const { s, refusedContent: refused } = handStruct({ client, clock: at }, prev)
        refusedContent ||= refused
        structs.push(s)
        prev = { client, clock: at }
        at += s.t === 'item' ? (s.length ?? 1) : Math.max(1, s.length)
      }
      clients.push({ client, clock, structs })
    }
    const deletes: Array<[number, Array<[number, number]>]> = []
    for (let c = maybe(0.4) ? 1 + r.int(3) : 0; c > 0; c--) {
      const target = pool.clients.length && maybe(0.8) ? r.pick(pool.clients) : { client: r.int(2 ** 32), state: 10 }
      const ranges: Array<[number, number]> = []
      for (let k = 1 + r.int(5); k > 0; k--) ranges.push([r.int(target.state + 5), maybe(0.9) ? 1 + r.int(5) : r.pick([0, 2 ** 40])])
      deletes.push([target.client, ranges])
    }
    const trailing = maybe(0.05) ? bytes(1 + r.int(4)) : undefined
    return {
      kind: 'hand: random structs',
      update: assemble(clients, deletes, trailing),
      // Refused content is refused whatever else the update says; all else may go either way.
      expect: refusedContent && certain ? 'refused' : 'any',
    }
  }

  const valid = (kind: string, update: Uint8Array, device: SyncingDevice, expect: Expect = 'ok'): Case => {
    return { kind: `valid: ${kind}`, update, expect, device }
  }

  /// Edits a person could make, pushed as a client would, or in ways a client might: merged, out of order, re-sent.
  function validCases(d: SyncingDevice): Case[] {
    const [a, b, c] = devices as [SyncingDevice, SyncingDevice, SyncingDevice]
    switch (r.int(8)) {
      case 0: // two clients edit without pulling: concurrent edits of the same files
        validEdit(a)
        validEdit(b)
        return [valid('concurrent a', a.pendingUpdate(), a), valid('concurrent b', b.pendingUpdate(), b)]
      case 1:
        validEdit(b)
        validEdit(c)
        return [valid('merged clients', Y.mergeUpdates(r.shuffle([b.pendingUpdate(), c.pendingUpdate()])), b)]
      case 2: {
        // two updates of one client sent in the wrong order: the second waits for the first
        validEdit(d)
        const first = d.pendingUpdate()
        const sv = Y.encodeStateVector(d.doc)
        validEdit(d)
        const second = Y.encodeStateAsUpdate(d.doc, sv)
        if (maybe(0.5)) return [valid('merged out of order', Y.mergeUpdates([second, first]), d)]
        return [valid('second part first', second, d, 'incomplete'), valid('first part', first, d), valid('second part', second, d)]
      }
      case 3:
        return [valid('stale full state', Y.encodeStateAsUpdate(d.doc), d)]
      case 4:
        return history.length ? [valid('re-sent', r.pick(history), d)] : []
      default:
        validEdit(d)
        return [valid('edit', d.pendingUpdate(), d)]
    }
  }

  /// The next cases: usually one, a few for sequences, and bursts (pushed at once).
  async function next(): Promise<{ cases: Case[]; burst: boolean }> {
    if (maybe(0.15)) await refresh()
    const d = r.pick(devices)
    if (maybe(0.2)) await d.pull()
    const roll = r.next()
    if (roll < 0.3) return { cases: validCases(d), burst: false }
    if (roll < 0.5) return { cases: [{ ...forbidden(d), device: d }], burst: false }
    if (roll < 0.7) {
      // Never the valid device's structs: a mutant could take its next clocks (and it deletes nothing, so no delete
      // set names its items either).
      const sources = [d.pendingUpdate(), Y.encodeStateAsUpdate(d.doc, notValid), ...(history.length ? [r.pick(history)] : []), forbidden(d).update]
      const { update, how } = mutate(r.pick(sources))
      return { cases: [{ kind: `mutated: ${how}`, update, expect: 'any' }], burst: false }
    }
    if (roll < 0.95) return { cases: [handAssembled()], burst: false }
    // Good and bad pushes at once: merged into one batch on the server, each answered alone.
    const burst: Case[] = []
    for (const dev of devices) {
      if (maybe(0.6)) {
        validEdit(dev)
        burst.push({ kind: 'burst: valid edit', update: dev.pendingUpdate(), expect: 'ok', device: dev })
      }
    }
    burst.push({ ...forbidden(d), kind: 'burst: forbidden' })
    burst.push({ kind: 'burst: garbage', update: bytes(1 + r.int(40)), expect: 'any' })
    return { cases: r.shuffle(burst), burst: true }
  }

  return {
    next,
    refresh,
    accepted(c: Case) {
      if (c.expect === 'ok' && history.length < 50) history.push(c.update)
    },
    /// After accepted pushes: a fuzz client whose clocks the server holds past its own (an accepted mutant took them,
    /// with other content) could not push its next edits; carry on with a new client instead.
    settle(serverSv: Map<number, number>) {
      devices = devices.map((d) => ((serverSv.get(d.doc.clientID) ?? 0) > Y.getState(d.doc.store, d.doc.clientID) ? newDevice() : d))
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Large updates, built before anything is timed (building them is the test's work, not the server's).

/// `long`: the case goes to a project of its own, with the long text. Every refused push rebuilds its project's doc
/// from the whole log (sync.ts), so refusals elsewhere would each pay for that text again.
function largeCases(): Array<Case & { long?: true }> {
  const cases: Array<Case & { long?: true }> = []
  const writer = (client: number) => {
    const d = new Y.Doc()
    d.clientID = client
    return d
  }
  // 60,000 separate one-character items in a new text, accepted. (At 99,000, just under the cap, the push cost the
  // process 0.6 to 0.8 s of CPU on 2 busy cores: too close to the bound for a test.)
  const items = 60_000
  {
    const d = writer(90_001)
    const t = new Y.Text()
    d.getMap(FILES_MAP).set('big/items.txt', t)
    d.transact(() => {
      for (let i = 0; i < items; i++) t.insert(0, 'x')
    })
    cases.push({ kind: 'large: 60k text items', update: Y.encodeStateAsUpdate(d), expect: 'ok', long: true })
  }
  // One struct over the cap.
  {
    const structs: HandStruct[] = [{ t: 'item', ref: REF.type, parent: FILES_MAP, parentSub: 'big/over.txt', content: content.type(2) }]
    for (let i = 0; i < LIMITS.maxUpdateStructs; i++) {
      structs.push({ t: 'item', ref: REF.string, origin: { client: 90_002, clock: i }, content: content.string('y') })
    }
    cases.push({ kind: 'large: struct cap + 1', update: assemble([{ client: 90_002, clock: 0, structs }]), expect: 'refused' })
  }
  // Delete ranges over the cap.
  {
    const ranges: Array<[number, number]> = []
    for (let i = 0; i <= LIMITS.maxUpdateDeleteRanges; i++) ranges.push([1 + ((2 * i) % items), 1])
    cases.push({ kind: 'large: delete-range cap + 1', update: assemble([], [[90_001, ranges]]), expect: 'refused' })
  }
  // Every other character of it deleted: 30,000 ranges.
  {
    const ranges: Array<[number, number]> = []
    for (let clock = 1; clock <= items; clock += 2) ranges.push([clock, 1])
    cases.push({ kind: 'large: 30k delete ranges', update: assemble([], [[90_001, ranges]]), expect: 'ok', long: true })
  }
  // 90,000 embeds in a text, and the review's nested-map chain (D = K = 3,000).
  {
    const structs: HandStruct[] = [{ t: 'item', ref: REF.type, parent: FILES_MAP, parentSub: 'big/embeds.txt', content: content.type(2) }]
    for (let i = 0; i < 90_000; i++) {
      const at = i ? { origin: { client: 90_003, clock: i } } : { parent: { client: 90_003, clock: 0 } }
      structs.push({ t: 'item', ref: REF.embed, ...at, content: content.embed('{}') })
    }
    cases.push({ kind: 'large: 90k embeds', update: assemble([{ client: 90_003, clock: 0, structs }]), expect: 'refused' })
    const d = writer(90_004)
    const t = new Y.Text('abc')
    d.getMap(FILES_MAP).set('big/chain.txt', t)
    let bottom = new Y.Map<unknown>()
    t.insertEmbed(0, bottom)
    for (let i = 0; i < 3000; i++) bottom.set('m', (bottom = new Y.Map()))
    for (let k = 0; k < 3000; k++) bottom.set(`c${k}`, new Y.Map())
    cases.push({ kind: 'large: nested-map chain', update: Y.encodeStateAsUpdate(d), expect: 'refused' })
  }
  // 50,000 GC ranges of a new client (no content: fits the layout) and a file over the byte limit.
  {
    const structs: HandStruct[] = Array.from({ length: 50_000 }, () => ({ t: 'gc' as const, length: 3 }))
    cases.push({ kind: 'large: 50k gc ranges', update: assemble([{ client: 90_005, clock: 0, structs }]), expect: 'ok' })
    const d = writer(90_006)
    d.getMap(FILES_MAP).set('big/huge.bin', new Uint8Array(LIMITS.maxFileBytes + 1))
    cases.push({ kind: 'large: file over the byte limit', update: Y.encodeStateAsUpdate(d), expect: 'refused' })
    cases.push({ kind: 'large: body over the byte limit', update: new Uint8Array(LIMITS.maxUpdateBytes + 1), expect: 'refused' })
  }
  return cases
}

// ---------------------------------------------------------------------------------------------------------------

/// One step of the run (the pushes of one case or burst, and the valid device's push): the event loop's longest
/// stall in it, and the CPU time the process spent in it.
interface Step {
  label: string
  stallMs: number
  cpuMs: number
}

/// How responsive the server stays, as its clients see it: the event loop's longest stall in each step
/// (`monitorEventLoopDelay`), and health checks every `HEALTH_PERIOD_MS` whose latency counts from when each was due
/// (a held event loop delays the timer too). `paused` runs the test's own heavy work outside the measurement.
function watchResponsiveness(client: TestClient) {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  const steps: Step[] = []
  /// Health answers, with the steps in progress when each was due and when it came.
  const checks: Array<{ ms: number; from: number; to: number }> = []
  const failures: string[] = []
  const inFlight = new Set<Promise<void>>()
  let due = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let cpu = process.cpuUsage()
  const tick = () => {
    const sent = due
    const from = steps.length
    const p = client.get('/api/health').then(
      (res) => {
        checks.push({ ms: performance.now() - sent, from, to: steps.length })
        if (res.status !== 200) failures.push(`health answered ${res.status}`)
      },
      (err: unknown) => void failures.push(`health threw ${String(err)}`),
    )
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
    due += HEALTH_PERIOD_MS
    timer = setTimeout(tick, Math.max(0, due - performance.now()))
  }
  const start = () => {
    loop.reset()
    cpu = process.cpuUsage()
    due = performance.now() + HEALTH_PERIOD_MS
    timer = setTimeout(tick, HEALTH_PERIOD_MS)
  }
  const stop = async () => {
    clearTimeout(timer)
    await Promise.all(inFlight)
  }
  /// The monitor notes a stall at its next tick, in the timers phase.
  const turn = () => new Promise((resolve) => setTimeout(resolve, 0))
  loop.enable()
  start()
  return {
    steps,
    checks,
    failures,
    /// Ends the step in progress. Its turn of the event loop is also what lets timers run at all: requests reach a
    /// real server through its sockets, between which the event loop turns; in-process, nothing else would run.
    async endStep(label: string) {
      await turn()
      const used = process.cpuUsage(cpu)
      cpu = process.cpuUsage()
      steps.push({ label, stallMs: loop.max / 1e6, cpuMs: (used.user + used.system) / 1000 })
      loop.reset()
    },
    async paused<T>(work: () => Promise<T>): Promise<T> {
      await stop()
      const result = await work()
      await turn()
      start()
      return result
    },
    async end() {
      await stop()
      loop.disable()
    },
  }
}

/// An error answer's text must be ours: no stack frames, source locations or library exception messages. (Details
/// may echo a refused path, which may say anything.)
const INTERNAL_MESSAGE = new RegExp(
  [
    String.raw`\n\s+at `,
    String.raw`\bat \S+ \(`,
    String.raw`\.[cm]?[jt]s:\d+`,
    '/node_modules/',
    'Maximum call stack',
    'TypeError|RangeError|ReferenceError',
    'Cannot read|is not a function|undefined',
    'lib0|Unexpected end',
  ].join('|'),
)
const INTERNAL_DETAILS = /\n\s+at |\bat \S+ \(\S+:\d+:\d+\)|"stack"|"cause"/

// One database, not both: the run takes 10 to 35 s on 2 cores shared with other test runs, and what it checks is
// the app's. Postgres, as deployed (and required in CI), where the database works off the event loop; PGlite when
// there is no Postgres, where every query runs on the event loop and counts in the stalls.
const pgSkip = await postgresUnavailable()

describe(`sync fuzz [${pgSkip ? `pglite: ${pgSkip}` : 'postgres'}]`, () => {
  let database: Database
  let drop: (() => Promise<void>) | undefined
  let app: Awaited<ReturnType<typeof testApp>>
  /// Yjs exceptions on updates the layout check let through (answered 400 with a request id): the check's model of
  /// Yjs missed something.
  const yjsThrew: string[] = []
  const errors: string[] = []
  const logger = {
    info: (message: string, fields?: Record<string, unknown>) => {
      if (message === 'client error with an internal cause') yjsThrew.push(String(fields?.err))
    },
    error: (message: string, fields?: Record<string, unknown>) => void errors.push(`${message}: ${String(fields?.err)}`),
  }
  beforeAll(async () => {
    if (pgSkip) database = await openDatabase({ driver: 'pglite', dataDir: undefined }, MIGRATIONS)
    else {
      const scratch = await createScratchPostgres()
      drop = scratch.drop
      database = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
    }
    app = await testApp({ database, logger })
  })
  afterAll(async () => {
    await database?.close()
    await drop?.()
  })

  async function storedDoc(id: string) {
    const rows = await database.db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, id))
    const doc = new Y.Doc({ gc: false })
    for (const row of rows) Y.applyUpdate(doc, row.update)
    return doc
  }

  test(`${CASES} random updates (seed ${SEED}): 2xx or clean 4xx, a responsive server, only the layout stored, no legitimate edit lost`, async () => {
    const http = new TestClient(app)
    await http.signup()
    const { id } = await http.createProject('fuzz')
    const caps = await http.createProject('fuzz caps')
    const long = await http.createProject('fuzz long text')
    const large = largeCases()
    const capsDevice = new SyncingDevice(http, caps.id)
    const longDevice = new SyncingDevice(http, long.id)

    const valid = new SyncingDevice(http, id)
    valid.doc.clientID = 4_000_000_001
    const validLog = () => (valid.files.get('valid/log.txt') as Y.Text | undefined) ?? (valid.files.set('valid/log.txt', new Y.Text()) as Y.Text)
    let validEdits = 0

    const fuzz = createFuzzer(SEED, http, id, valid.doc.clientID)
    const pusher = new SyncingDevice(http, id)
    const failures: string[] = []
    const counts = new Map<string, number>()
    const statuses = new Map<number, number>()
    const fail = (n: number, c: Case, message: string) => {
      const bytes = c.update.byteLength <= 600 ? ` update=${toBase64Url(c.update)}` : ` (${c.update.byteLength} bytes)`
      failures.push(`seed ${SEED} case ${n} [${c.kind}]: ${message}${bytes}`)
    }

    const slowest: Array<{ ms: number; what: string }> = []
    let lastSv = new Map<number, number>()
    const yjsThrewOn: string[] = []
    async function push(n: number, c: Case, device: SyncingDevice): Promise<number> {
      const t0 = performance.now()
      const res = await device.pushUpdate(c.update)
      const status = res.status
      slowest.push({ ms: performance.now() - t0, what: `${n} ${c.kind} ${status}` })
      slowest.sort((a, b) => b.ms - a.ms).splice(5)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      const family = c.kind.split(':')[0]!
      counts.set(`${family} ${status}`, (counts.get(`${family} ${status}`) ?? 0) + 1)
      const text = await res.text()
      if (status === 200) lastSv = Y.decodeStateVector(fromBase64Url((JSON.parse(text) as { stateVector: string }).stateVector)!)
      if (status >= 500) fail(n, c, `answered ${status}: ${text}`)
      else if (status >= 400) {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        const parsed = ErrorBodySchema.safeParse(json)
        if (parsed.success && parsed.data.error.requestId) {
          // An internal cause behind a client error: Yjs threw on what the layout check let through.
          yjsThrewOn.push(`case ${n} [${c.kind}] ${c.update.byteLength <= 600 ? `update=${toBase64Url(c.update)}` : `(${c.update.byteLength} bytes)`}`)
        }
        if (!parsed.success) fail(n, c, `error body is not the shared shape: ${text.slice(0, 300)}`)
        else if (INTERNAL_MESSAGE.test(parsed.data.error.message) || INTERNAL_DETAILS.test(JSON.stringify(parsed.data.error.details ?? null))) {
          fail(n, c, `error body carries internal text: ${text.slice(0, 300)}`)
        }
      } else if (status !== 200) fail(n, c, `answered ${status}`)
      const allowed = { ok: [200], refused: [400, 409, 413, 415, 422], incomplete: [200, 409], any: [200, 400, 409, 413, 422] }[c.expect]
      if (!allowed.includes(status)) fail(n, c, `expected ${c.expect}, answered ${status}: ${text.slice(0, 300)}`)
      return status
    }

    let deletedOutside = 0
    async function checkStored(at: string, projectId = id) {
      const found = layoutProblems(await storedDoc(projectId), false)
      for (const p of found.problems) failures.push(`seed ${SEED} ${at}: stored doc: ${p}`)
      deletedOutside = Math.max(deletedOutside, found.deletedOutside)
    }

    await fuzz.refresh()
    // The large ones go to projects of their own: every refused push rebuilds its project's doc from the whole log
    // (sync.ts), so a long text in the main project would make each of the hundreds of refusals pay for it.
    const largeAt = large.map((c, i) => [Math.floor(((i + 1) * CASES) / (large.length + 1)), c] as const)
    const watch = watchResponsiveness(new TestClient(app))
    const started = performance.now()
    let n = 0
    try {
      while (n < CASES) {
        const big = largeAt[0] && n >= largeAt[0][0] ? largeAt.shift()![1] : undefined
        if (big) {
          await push(n, big, big.long ? longDevice : capsDevice)
          await watch.endStep(`case ${n++} [${big.kind}]`)
          continue
        }
        const { cases, burst } = await fuzz.next()
        let step = `case ${n} [${cases.map((c) => c.kind).join(', ')}]`
        const results = burst
          ? await Promise.all(cases.map((c, k) => push(n + k, c, c.device ?? pusher)))
          : await (async () => {
              const out: number[] = []
              for (const [k, c] of cases.entries()) out.push(await push(n + k, c, c.device ?? pusher))
              return out
            })()
        cases.forEach((c, k) => results[k] === 200 && fuzz.accepted(c))
        fuzz.settle(lastSv)
        if ((lastSv.get(valid.doc.clientID) ?? 0) > Y.getState(valid.doc.store, valid.doc.clientID)) {
          failures.push(`seed ${SEED} case ${n}: the server holds clocks of the valid device that it never wrote`)
        }
        n += cases.length

        // The valid device keeps syncing through it all.
        if (n % 8 < cases.length) {
          const k = validEdits++
          // It deletes nothing, so that no delete set the fuzz mutates names its items (see `mutate`'s sources).
          valid.doc.transact(() => {
            validLog().insert(validLog().length, `<${k}:${VALID_PIECES[k % VALID_PIECES.length]}>`)
            if (k % 4 === 0) valid.files.set(`valid/f${k}.txt`, new Y.Text(`file ${k} ${VALID_PIECES.join('')}\n`))
            if (k % 6 === 1) valid.files.set(`valid/b${k}.bin`, Uint8Array.from({ length: 100 + k }, (_, i) => (i * k) & 255))
            const earlier = valid.files.get(`valid/f${4 * Math.floor(k / 8)}.txt`)
            if (k % 3 === 2 && earlier instanceof Y.Text) earlier.insert(k % 2 ? 0 : earlier.length, `edited ${k} ${VALID_PIECES[k % 5]}`)
            if (k % 5 === 3) valid.doc.getMap(FOLDERS_MAP).set(`valid/empty ${k}`, true)
          })
          step += ' and a push of the valid device'
          const res = await valid.push()
          if (res.status !== 200) failures.push(`seed ${SEED} case ${n}: the valid device's push ${k} answered ${res.status}: ${await res.text()}`)
          if (k % 3 === 0) await valid.pull()
        }
        await watch.endStep(step)
        if (n % 250 < cases.length) {
          // Compactions over whatever the fuzz got stored, then the stored doc checked: off the clock (the test's own
          // work, and a compaction asked for far more often than the server would).
          await watch.paused(async () => {
            database.compactor.request(id)
            await database.compactor.idle()
            await checkStored(`after case ${n}`)
          })
        }
      }
    } finally {
      await watch.end()
    }
    const runMs = performance.now() - started

    await valid.sync()
    await database.compactor.idle()
    await checkStored('at the end')
    await checkStored("the large updates' project", caps.id)
    await checkStored("the long text's project", long.id)
    // What a device starting now is sent: nothing outside the layout, not even deleted.
    const fresh = new SyncingDevice(http, id)
    const capsFresh = new SyncingDevice(http, caps.id)
    const longFresh = new SyncingDevice(http, long.id)
    for (const d of [fresh, capsFresh, longFresh]) {
      await d.pull()
      for (const p of layoutProblems(d.doc, true).problems) failures.push(`seed ${SEED} a fresh pull: ${p}`)
    }

    // Responsiveness. The bound is on what the server does: a stall or a late health answer over it counts unless the
    // process hardly ran meanwhile (its step spent less CPU than the bound), which is the machine being busy with
    // other work. On an idle machine the two are the same; on 2 cores shared with other test runs, the same push was
    // seen to stall the event loop 0.1 s in one run and 1.3 s in another.
    const { steps, checks } = watch
    const cpuOf = (from: number, to: number) => Math.max(0, ...steps.slice(from, to + 1).map((st) => st.cpuMs))
    const stalls = steps.filter((st) => st.stallMs >= MAX_LOOP_DELAY_MS)
    const late = checks.filter((c) => c.ms >= MAX_LOOP_DELAY_MS)
    const worst = steps.reduce((a, b) => (b.stallMs > a.stallMs ? b : a), { label: 'none', stallMs: 0, cpuMs: 0 })
    const busiest = steps.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a), worst)
    const ms = (x: number) => `${x.toFixed(0)} ms`
    console.info(
      [
        `sync fuzz seed ${SEED}: ${n} cases in ${(runMs / 1000).toFixed(1)} s`,
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}, by kind ${JSON.stringify(Object.fromEntries([...counts].sort()))}`,
        `longest event-loop stall ${ms(worst.stallMs)} (cpu ${ms(worst.cpuMs)}) at ${worst.label}`,
        `most cpu in a step ${ms(busiest.cpuMs)} at ${busiest.label}`,
        `${checks.length} health checks, the slowest answered in ${ms(Math.max(...checks.map((c) => c.ms)))}`,
        `over ${MAX_LOOP_DELAY_MS} ms: ${stalls.length} stalls, ${late.length} late health answers (passing only if the process hardly ran)`,
        `slowest pushes: ${slowest.map((x) => `${x.what} ${ms(x.ms)}`).join(', ')}`,
        `${validEdits} pushes of the valid device; ${deletedOutside} deleted structs outside the layout in the stored log`,
        `${yjsThrew.length} updates passed the layout check and then made Yjs throw${yjsThrew.length ? `, first: ${yjsThrew[0]} at ${yjsThrewOn[0]}` : ''}`,
      ].join('\n  '),
    )
    expect(failures.slice(0, 20), `${failures.length} failures`).toEqual([])

    expect(errors).toEqual([])
    expect(watch.failures).toEqual([])
    expect(checks.length).toBeGreaterThan(runMs / HEALTH_PERIOD_MS / 3)
    expect(stalls.filter((st) => st.cpuMs >= MAX_LOOP_DELAY_MS)).toEqual([])
    expect(late.filter((c) => cpuOf(c.from, c.to) >= MAX_LOOP_DELAY_MS).map((c) => ({ ...c, steps: steps.slice(c.from, c.to + 1) }))).toEqual([])

    // A device starting now gets exactly what is stored, and the files view agrees.
    const stored = await storedDoc(id)
    expect(contents(fresh.doc)).toEqual(contents(stored))
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(stored))
    expect(fileDigests(fresh.doc)).toEqual(await serverDigests(http, id))
    expect(contents(capsFresh.doc)).toEqual(contents(await storedDoc(caps.id)))
    expect(contents(longFresh.doc)).toEqual(contents(await storedDoc(long.id)))

    // Everything the valid device wrote arrived, as it wrote it.
    expect(validEdits).toBeGreaterThan(CASES / 10)
    const validFiles = (doc: Y.Doc) => Object.fromEntries(Object.entries(contents(doc)).filter(([p]) => /^(file|folder):valid\//.test(p)))
    expect(validFiles(fresh.doc)).toEqual(validFiles(valid.doc))
    expect((fresh.files.get('valid/log.txt') as Y.Text).toString()).toBe(
      Array.from({ length: validEdits }, (_, k) => `<${k}:${VALID_PIECES[k % VALID_PIECES.length]}>`).join(''),
    )
  }, 180_000)
})

/// Found while writing this fuzz, not fixed yet. Each test states what must hold; remove its `.fails` once it does.
/// (PGlite only: none depends on the database.)
describe('sync fuzz: known gaps (issue 15)', () => {
  let database: Database
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    database = await openDatabase({ driver: 'pglite', dataDir: undefined }, MIGRATIONS)
    app = await testApp({ database })
  })
  afterAll(() => database.close())

  async function project() {
    const http = new TestClient(app)
    await http.signup()
    const { id } = await http.createProject('origin-less')
    const d = new SyncingDevice(http, id)
    d.doc.clientID = 1 // below the pusher's: Yjs scans past lower clients' items
    return d
  }

  /// What the push costs: the CPU time the process spends on it (which a busy machine does not change: on an idle one
  /// it is how long the event loop is held), and its wall time.
  async function timed(d: SyncingDevice, update: Uint8Array) {
    const t0 = performance.now()
    const cpu = process.cpuUsage()
    const res = await d.pushUpdate(update)
    const used = process.cpuUsage(cpu)
    return { status: res.status, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0 }
  }

  // Yjs places an item that has no left origin by scanning its siblings (every item of its text from the start, or
  // every earlier value of its map key), so n such items in one update cost n × siblings steps, all synchronous: a few
  // KB held the event loop for seconds (99,999 values of one path took ~25 s), and a stored one would cost as much
  // again at every rebuild of the doc. The layout check charges those scans against a budget and refuses (413).
  test('1,000 origin-less characters (7 KB) pushed into a text of 20,000 items cost under a second', async () => {
    const d = await project()
    // A long edit history: 20,000 separate items (typed at the start, one by one).
    const text = new Y.Text()
    d.files.set('long.txt', text)
    d.doc.transact(() => {
      for (let i = 0; i < 20_000; i++) text.insert(0, 'x')
    })
    expect((await d.push()).status).toBe(200)
    const parent = text._item!.id
    const structs: HandStruct[] = Array.from({ length: 1000 }, () => ({ t: 'item', ref: REF.string, parent, content: content.string('y') }))
    const { status, ...cost } = await timed(d, assemble([{ client: 2, clock: 0, structs }]))
    expect(status).toBe(413)
    expect(cost.cpuMs, JSON.stringify(cost)).toBeLessThan(1000)
  }, 120_000)

  test('35,000 values of one path, none with an origin (560 KB), cost under a second', async () => {
    const d = await project()
    const structs: HandStruct[] = Array.from({ length: 35_000 }, (_, i) => ({
      t: 'item',
      ref: REF.binary,
      parent: FILES_MAP,
      parentSub: 'a.bin',
      content: content.binary(new Uint8Array([i & 255])),
    }))
    const { status, ...cost } = await timed(d, assemble([{ client: 2, clock: 0, structs }]))
    expect(status).toBe(413)
    expect(cost.cpuMs, JSON.stringify(cost)).toBeLessThan(1000)
  }, 120_000)

  // An item whose neighbour the doc has garbage-collected is dropped by Yjs (it becomes a GC range), but a push is
  // stored as sent: replayed without GC (a partial compaction merges rows as they are), the log would hold a Y.Text
  // inside a file's text. The check refuses a file, bytes or a folder there (text alone may be: typing into a file
  // another device deleted).
  test('an item placed next to a garbage-collected character is not stored as sent', async () => {
    const d = await project()
    const text = new Y.Text()
    d.files.set('a.txt', text)
    text.insert(0, 'abc') // 1:0 the text, 1:1 to 1:3 its characters
    expect((await d.push()).status).toBe(200)
    d.files.delete('a.txt') // the server garbage-collects the characters with their text
    expect((await d.push()).status).toBe(200)
    const structs: HandStruct[] = [
      { t: 'item', ref: REF.type, origin: { client: 1, clock: 2 }, content: content.type(2) },
      { t: 'item', ref: REF.string, parent: { client: 9, clock: 0 }, content: content.string('inner') },
    ]
    expect((await d.pushUpdate(assemble([{ client: 9, clock: 0, structs }]))).status).toBeLessThan(500)
    const log = new Y.Doc({ gc: false })
    for (const row of await database.db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, d.projectId))) {
      Y.applyUpdate(log, row.update)
    }
    expect(layoutProblems(log, true).problems).toEqual([])
  })

  // Yjs takes an item's origin of its own client as already there (it skips the check it makes for other clients'
  // ids), so an origin that is a later clock of the same client, in the update or beyond it, would make it throw
  // mid-apply ("Cannot read properties of undefined"). The check refuses it first. (Seed 2 of the fuzz found the
  // held-struct form.)
  test('an item whose origin is a later clock of its own client is refused by the layout check', async () => {
    const d = await project()
    const text = new Y.Text()
    d.files.set('a.txt', text) // 1:0
    expect((await d.push()).status).toBe(200)
    const structs: HandStruct[] = [
      { t: 'item', ref: REF.string, origin: { client: 5, clock: 1 }, content: content.string('x') },
      { t: 'item', ref: REF.string, parent: { client: 1, clock: 0 }, content: content.string('y') },
    ]
    const res = await d.pushUpdate(assemble([{ client: 5, clock: 0, structs }]))
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    // A refusal by the check names no request: only an internal cause does (the Yjs exception, in the log).
    expect(ErrorBodySchema.parse(await res.json()).error.requestId).toBeUndefined()
  })
})
