import { FILES_MAP, FOLDERS_MAP, LIMITS, checkProjectPath } from '@slipway/shared'
import * as Y from 'yjs'

/// Pure kernel: reads a client's Yjs update (format v1) with explicit limits and decides, **before** anything is
/// applied, whether every struct in it fits the project-doc layout (`@slipway/shared` `FILES_MAP`):
/// - an entry of the root `files` map holds a `Y.Text`, binary content, or deleted content;
/// - an item inside such a `Y.Text` holds string content or deleted content;
/// - an entry of the root `folders` map holds `true` (an "any" value of exactly that), or deleted content;
/// - garbage-collected ranges, skips and deletions (the delete set) anywhere.
/// Everything else (embeds, formats, JSON/any values, subdocs, nested types, other root types, items whose parent is
/// not one of the above) refuses the whole update. An item whose parent is given only through its neighbours
/// (`origin`/`rightOrigin`) gets the parent Yjs would give it, found in the doc or in the update itself, without
/// recursion (a text's items chain through their origins, thousands deep).
///
/// The reader follows Yjs's `readClientsStructRefs`/`readDeleteSet` (UpdateDecoderV1) byte for byte, but counts
/// before it allocates, stops at the first refused struct, and rejects bytes Yjs would not write (zero-length
/// structs, trailing bytes).

export interface LayoutLimits {
  /// Structs (items, GC ranges, skips) in one update.
  maxStructs: number
  /// Ranges in one update's delete set.
  maxDeleteRanges: number
  /// Stored items Yjs may step over to place the update's items (see `chargePlacement`).
  maxPlacementSteps?: number
}

/// Yjs places an item by scanning the items between its two neighbours (origin and right origin) as they stand in
/// the doc: one or none for what an editor writes, the whole text for an item whose neighbours are far apart (or
/// absent). Each scan step costs ~0.1-0.3 µs; this bounds one update's scans to well under a second.
export const MAX_PLACEMENT_STEPS = 1_000_000

export const DEFAULT_LAYOUT_LIMITS: LayoutLimits = {
  maxStructs: LIMITS.maxUpdateStructs,
  maxDeleteRanges: LIMITS.maxUpdateDeleteRanges,
  maxPlacementSteps: MAX_PLACEMENT_STEPS,
}

export type LayoutVerdict =
  | {
      ok: true
      /// The first clock of each client's structs in the update (what `Y.parseUpdateMeta` calls `from`).
      from: Map<number, number>
      structs: number
      deleteRanges: number
    }
  /// `malformed`: not a Yjs v1 update. `layout`: a struct outside the project-doc layout. `too_large`: over a
  /// `LayoutLimits` count. `missing`: refers to structs neither the doc nor the update holds (the client must pull
  /// first).
  | { ok: false; kind: 'malformed' | 'layout' | 'too_large' | 'missing'; message: string; details?: Record<string, unknown> }

type Refusal = Extract<LayoutVerdict, { ok: false }>

class Refused extends Error {
  constructor(readonly verdict: Refusal) {
    super(verdict.message)
  }
}

const refuse = (kind: Refusal['kind'], message: string, details?: Record<string, unknown>): never => {
  throw new Refused(details ? { ok: false, kind, message, details } : { ok: false, kind, message })
}

// Content refs of the v1 encoding (yjs `contentRefs`), and the one type ref the layout allows (yjs `typeRefs`).
const REF_GC = 0
const REF_DELETED = 1
const REF_BINARY = 3
const REF_STRING = 4
const REF_TYPE = 7
const REF_ANY = 8
const REF_SKIP = 10
/// lib0's `writeAny` tag for `true`.
const ANY_TRUE = 120
const TYPE_REF_TEXT = 2
const REFUSED_CONTENT: Record<number, string> = {
  2: 'JSON content',
  5: 'an embed',
  6: 'a format attribute',
  8: 'an "any" value',
  9: 'a subdocument',
}
const TYPE_NAMES = ['Y.Array', 'Y.Map', 'Y.Text', 'Y.XmlElement', 'Y.XmlFragment', 'Y.XmlHook', 'Y.XmlText']

// lib0 reads strings with exactly this decoder: the lengths below must match Yjs's own.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

class Reader {
  pos = 0
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos === this.buf.length
  }
  uint8(): number {
    if (this.pos >= this.buf.length) refuse('malformed', 'The update ends early')
    return this.buf[this.pos++]!
  }
  varUint(): number {
    let num = 0
    let mult = 1
    for (;;) {
      const r = this.uint8()
      num += (r & 0x7f) * mult
      if (r < 0x80) return num
      mult *= 128
      if (num > Number.MAX_SAFE_INTEGER) refuse('malformed', 'An integer in the update is out of range')
    }
  }
  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) refuse('malformed', 'The update ends early')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  string(): string {
    const bytes = this.bytes(this.varUint())
    try {
      return utf8.decode(bytes)
    } catch {
      return refuse('malformed', 'A string in the update is not UTF-8')
    }
  }
  /// A string's length in UTF-16 code units (Yjs's item length). Decoding is the fastest way to it: V8's UTF-8
  /// decoder outruns a JavaScript scan for non-ASCII bytes about fivefold.
  stringLength(): number {
    return this.string().length
  }
}

type Kind = 'gc' | 'skip' | 'deleted' | 'binary' | 'string' | 'text' | 'flag'

interface Struct {
  client: number
  clock: number
  length: number
  kind: Kind
  origin: Y.ID | null
  right: Y.ID | null
  /// Explicit parent: a root type's name, or a type item's id. `null` when it comes from the neighbours.
  parent: string | Y.ID | null
  parentSub: string | null
}

/// Where an item lives: an entry of the files map, inside a file's text (named by its type item), or nowhere (Yjs
/// turns it into a GC range: its neighbour or parent was garbage-collected).
type Container = { kind: 'entry'; key: string } | { kind: 'folder'; key: string } | { kind: 'text'; text: string } | { kind: 'gc' }

const RESOLVING = 0

/// Reads `update` and checks it against the layout, given the doc it is about to be applied to (read only).
export function checkUpdateLayout(doc: Y.Doc, update: Uint8Array, limits: LayoutLimits = DEFAULT_LAYOUT_LIMITS): LayoutVerdict {
  try {
    const { structs, from, deleteRanges } = read(update, limits)
    checkParents(doc, structs, limits.maxPlacementSteps ?? MAX_PLACEMENT_STEPS)
    return { ok: true, from, structs: structs.length, deleteRanges }
  } catch (err) {
    if (err instanceof Refused) return err.verdict
    throw err
  }
}

function read(update: Uint8Array, limits: LayoutLimits): { structs: Struct[]; from: Map<number, number>; deleteRanges: number } {
  const r = new Reader(update)
  let refusal: Refused | undefined
  const later = (message: string, client: number, clock: number): Kind => {
    refusal ??= new Refused({ ok: false, kind: 'layout', message, details: { struct: `${client}:${clock}` } })
    return 'gc'
  }
  const structs: Struct[] = []
  const from = new Map<number, number>()
  const clients = r.varUint()
  for (let c = 0; c < clients; c++) {
    const count = r.varUint()
    if (structs.length + count > limits.maxStructs) {
      refuse('too_large', `An update holds at most ${limits.maxStructs} structs; send it in smaller parts`, { limit: limits.maxStructs })
    }
    const client = r.varUint()
    let clock = r.varUint()
    if (from.has(client)) refuse('malformed', 'A client appears twice in the update')
    if (count > 0) from.set(client, clock)
    for (let i = 0; i < count; i++) {
      const info = r.uint8()
      const ref = info & 0x1f
      let s: Struct
      if (ref === REF_GC || ref === REF_SKIP) {
        const length = r.varUint()
        s = { client, clock, length, kind: ref === REF_GC ? 'gc' : 'skip', origin: null, right: null, parent: null, parentSub: null }
      } else {
        const origin = info & 0x80 ? Y.createID(r.varUint(), r.varUint()) : null
        const right = info & 0x40 ? Y.createID(r.varUint(), r.varUint()) : null
        let parent: string | Y.ID | null = null
        let parentSub: string | null = null
        if ((info & 0xc0) === 0) {
          parent = r.varUint() === 1 ? r.string() : Y.createID(r.varUint(), r.varUint())
          if (info & 0x20) parentSub = r.string()
        }
        let kind: Kind
        let length = 1
        switch (ref) {
          case REF_DELETED:
            kind = 'deleted'
            length = r.varUint()
            break
          case REF_BINARY:
            kind = 'binary'
            r.bytes(r.varUint())
            break
          case REF_STRING:
            kind = 'string'
            length = r.stringLength()
            break
          case REF_TYPE: {
            const typeRef = r.varUint()
            if (typeRef > 6) refuse('malformed', `Unknown type ${typeRef}`)
            if (typeRef === 3 || typeRef === 5) r.string() // an XML element's or hook's name
            if (typeRef !== TYPE_REF_TEXT) later(`The project document holds no ${TYPE_NAMES[typeRef]}: only files of text or bytes`, client, clock)
            kind = 'text'
            break
          }
          // Refused, but read on when Yjs's reader is plain strings: bytes that are not an update at all are told
          // apart from an update that breaks the layout.
          case 2: // JSON
            length = r.varUint()
            for (let n = 0; n < length; n++) r.string()
            kind = later(`The project document holds no ${REFUSED_CONTENT[ref]}: only files of text or bytes`, client, clock)
            break
          case 5: // embed
            r.string()
            kind = later(`The project document holds no ${REFUSED_CONTENT[ref]}: only files of text or bytes`, client, clock)
            break
          case 6: // format
            r.string()
            r.string()
            kind = later(`The project document holds no ${REFUSED_CONTENT[ref]}: only files of text or bytes`, client, clock)
            break
          case REF_ANY: {
            // Only a folder's `true`: one value, the one-byte tag. Any other "any" content is lib0's recursive
            // encoding, which we do not read: refused as it comes.
            const count = r.varUint()
            if (count !== 1 || r.uint8() !== ANY_TRUE) {
              refuse('layout', `The project document holds no ${REFUSED_CONTENT[ref]}: only files of text or bytes, and folders`, {
                struct: `${client}:${clock}`,
              })
            }
            kind = 'flag'
            break
          }
          default:
            // Subdocuments are lib0 `any` encodings, which we do not read: refused as they come.
            if (REFUSED_CONTENT[ref]) {
              refuse('layout', `The project document holds no ${REFUSED_CONTENT[ref]}: only files of text or bytes`, { struct: `${client}:${clock}` })
            }
            return refuse('malformed', `Unknown struct type ${ref}`)
        }
        s = { client, clock, length, kind, origin, right, parent, parentSub }
        // Yjs resolves a reference to the item's own client without asking whether it exists yet (its clock must be
        // earlier), and throws half-way through the update when it does not.
        for (const ref of [origin, right, typeof parent === 'object' ? parent : null]) {
          if (ref && ref.client === client && ref.clock >= clock) refuse('malformed', 'An item of the update refers to a later item of its own client')
        }
      }
      if (s.length === 0) refuse('malformed', 'A struct in the update is empty')
      if (clock + s.length > Number.MAX_SAFE_INTEGER) refuse('malformed', 'A clock in the update is out of range')
      clock += s.length
      structs.push(s)
    }
  }
  let deleteRanges = 0
  const dsClients = r.varUint()
  for (let c = 0; c < dsClients; c++) {
    r.varUint() // client
    const count = r.varUint()
    deleteRanges += count
    if (deleteRanges > limits.maxDeleteRanges) {
      refuse('too_large', `An update deletes at most ${limits.maxDeleteRanges} ranges; send it in smaller parts`, { limit: limits.maxDeleteRanges })
    }
    for (let i = 0; i < count; i++) {
      r.varUint() // clock
      r.varUint() // length
    }
  }
  if (!r.done) refuse('malformed', 'The update has trailing bytes')
  if (refusal) throw refusal
  return { structs, from, deleteRanges }
}

/// Finds every item's container the way Yjs's `Item.getMissing`/`integrate` will, and checks its content against it.
function checkParents(doc: Y.Doc, structs: Struct[], maxPlacementSteps: number): void {
  const files = doc.share.get(FILES_MAP)
  const folders = doc.share.get(FOLDERS_MAP)
  const state = new Map<number, number>()
  const stateOf = (client: number) => {
    let s = state.get(client)
    if (s === undefined) state.set(client, (s = Y.getState(doc.store, client)))
    return s
  }
  // The update's structs by client, in clock order (the encoding lists each client's structs in order).
  const byClient = new Map<number, number[]>()
  structs.forEach((s, i) => {
    let list = byClient.get(s.client)
    if (!list) byClient.set(s.client, (list = []))
    list.push(i)
  })
  for (const [client, list] of byClient) {
    // Yjs keeps structs that start past the doc's state pending: they need what the client has not sent.
    if (structs[list[0]!]!.clock > stateOf(client)) {
      refuse('missing', 'The update depends on changes the server does not have; pull, then send your full diff')
    }
  }

  /// The struct holding `id`: the doc's (Yjs prefers it wherever the doc already has that clock), else the update's.
  type Found = { doc: Y.Item | Y.GC } | { index: number } | { missing: true }
  const find = (id: Y.ID): Found => {
    if (id.clock < stateOf(id.client)) return { doc: Y.getItem(doc.store, id) as Y.Item | Y.GC }
    const list = byClient.get(id.client)
    if (!list) return { missing: true }
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = structs[list[mid]!]!
      if (id.clock < s.clock) hi = mid - 1
      else if (id.clock >= s.clock + s.length) lo = mid + 1
      else return s.kind === 'skip' ? { missing: true } : { index: list[mid]! }
    }
    return { missing: true }
  }

  const docContainer = (item: Y.Item | Y.GC): Container => {
    if (!(item instanceof Y.Item)) return { kind: 'gc' }
    const parent = item.parent
    if (parent === files && typeof item.parentSub === 'string') return { kind: 'entry', key: item.parentSub }
    if (parent === folders && typeof item.parentSub === 'string') return { kind: 'folder', key: item.parentSub }
    const textItem = parent instanceof Y.Text ? parent._item : null
    if (textItem && textItem.parent === files && item.parentSub === null) return { kind: 'text', text: idKey(textItem.id) }
    return refuse('layout', 'The update refers to a struct outside the project-doc layout')
  }

  const memo: Array<Container | typeof RESOLVING | undefined> = new Array(structs.length)
  const known = (i: number): Container => memo[i] as Container

  /// The ids a struct's container depends on, in the doc or (as indexes) in the update.
  const neighbours = (s: Struct): { origin: Y.ID | null; right: Y.ID | null } => {
    // A struct the doc holds in part is cut where the doc ends; Yjs gives the rest the doc's last item as origin.
    const st = stateOf(s.client)
    const origin = s.clock < st ? Y.createID(s.client, st - 1) : s.origin
    return { origin, right: s.right }
  }
  const dependencies = (s: Struct): number[] => {
    const deps: number[] = []
    const { origin, right } = neighbours(s)
    for (const id of [origin, right, typeof s.parent === 'object' ? s.parent : null]) {
      if (!id) continue
      const f = find(id)
      if ('index' in f) deps.push(f.index)
    }
    return deps
  }

  const containerOfId = (id: Y.ID): Container => {
    const f = find(id)
    if ('missing' in f) return refuse('missing', 'The update depends on changes the server does not have; pull, then send your full diff')
    return 'doc' in f ? docContainer(f.doc) : known(f.index)
  }
  /// The text a parent id names: it must be a file's Y.Text item (or gone, which Yjs turns into GC).
  const textOf = (id: Y.ID): Container => {
    const f = find(id)
    if ('missing' in f) return refuse('missing', 'The update depends on changes the server does not have; pull, then send your full diff')
    if ('doc' in f) {
      const item = f.doc
      if (!(item instanceof Y.Item) || item.content instanceof Y.ContentDeleted) return { kind: 'gc' }
      if (item.id.clock === id.clock && item.content instanceof Y.ContentType && item.content.type instanceof Y.Text && item.parent === files) {
        return { kind: 'text', text: idKey(item.id) }
      }
      return refuse('layout', 'An item of the update is parented to a struct that is not a file')
    }
    const p = structs[f.index]!
    if (p.kind === 'gc' || p.kind === 'deleted') return { kind: 'gc' }
    const c = known(f.index)
    if (p.kind === 'text' && c.kind === 'gc') return c
    if (p.kind === 'text' && c.kind === 'entry') return { kind: 'text', text: idKey(Y.createID(p.client, p.clock)) }
    return refuse('layout', 'An item of the update is parented to a struct that is not a file')
  }

  const compute = (s: Struct): Container => {
    const { origin, right } = neighbours(s)
    const found: Container[] = []
    for (const id of [origin, right]) {
      if (!id) continue
      const c = containerOfId(id)
      if (c.kind === 'gc') return c
      found.push(c)
    }
    if (typeof s.parent === 'string') {
      if (s.parent !== FILES_MAP && s.parent !== FOLDERS_MAP) refuse('layout', `Unknown root type "${s.parent}" in the project document`, { root: s.parent })
      if (s.parentSub === null) refuse('layout', `An item of the ${s.parent} map has no path`)
      found.push({ kind: s.parent === FILES_MAP ? 'entry' : 'folder', key: s.parentSub! })
    } else if (s.parent) {
      const t = textOf(s.parent)
      if (t.kind === 'gc') return t
      if (s.parentSub !== null) refuse('layout', 'A file text holds no keys')
      found.push(t)
    }
    const c = found[0]
    if (!c) return refuse('malformed', 'An item has no parent')
    for (const other of found) {
      if (containerKey(other) !== containerKey(c)) {
        refuse('layout', 'An item of the update sits between structs of different parents')
      }
    }
    return c
  }

  const check = (s: Struct, c: Container): void => {
    // Yjs drops an item whose neighbour or parent was collected, but a push is stored as sent: only text may be
    // there (typing into a file another device deleted), never a file, bytes or a folder.
    if (c.kind === 'gc' && (s.kind === 'text' || s.kind === 'binary' || s.kind === 'flag')) {
      refuse('layout', 'An item of the update is outside any file or folder')
    }
    if (c.kind === 'gc' || s.kind === 'deleted') return
    if (c.kind === 'entry' || c.kind === 'folder') {
      if (c.kind === 'entry' && s.kind !== 'text' && s.kind !== 'binary') refuse('layout', 'A file must be a Y.Text or bytes', { path: c.key })
      if (c.kind === 'folder' && s.kind !== 'flag') refuse('layout', 'A folder entry holds only `true`', { path: c.key })
      const path = checkProjectPath(c.key)
      if (!path.ok) refuse('layout', `Invalid path: ${path.message}`, { path: c.key, problem: path.problem })
    } else if (s.kind !== 'string') refuse('layout', 'A file text holds only text')
  }

  for (let start = 0; start < structs.length; start++) {
    if (memo[start] !== undefined) continue
    const stack = [start]
    while (stack.length) {
      const i = stack[stack.length - 1]!
      const m = memo[i]
      if (m !== undefined && m !== RESOLVING) {
        stack.pop()
        continue
      }
      const s = structs[i]!
      if (s.kind === 'gc' || s.kind === 'skip' || s.clock + s.length <= stateOf(s.client)) {
        // Nothing to place: a GC range, a gap, or a struct the doc already holds (Yjs skips it).
        memo[i] = { kind: 'gc' }
        stack.pop()
        continue
      }
      memo[i] = RESOLVING
      let waiting = false
      for (const d of dependencies(s)) {
        if (memo[d] === undefined) {
          stack.push(d)
          waiting = true
        } else if (memo[d] === RESOLVING) refuse('layout', 'Items of the update refer to each other in a cycle')
      }
      if (waiting) continue
      const c = compute(s)
      check(s, c)
      memo[i] = c
      stack.pop()
    }
  }

  // What placing the items will cost Yjs: for each new item, the stored items between its nearest stored
  // neighbours, walked here (capped) as Yjs would scan them. An item's neighbour in the update stands in for its own
  // nearest stored neighbour on that side.
  const leftAnchor: Array<Y.Item | null | undefined> = new Array(structs.length)
  const rightAnchor: Array<Y.Item | null | undefined> = new Array(structs.length)
  const anchor = (i: number, side: 'origin' | 'right'): Y.Item | null => {
    const memoOf = side === 'origin' ? leftAnchor : rightAnchor
    const path: number[] = []
    let result: Y.Item | null = null
    for (let j: number | undefined = i; j !== undefined; ) {
      const known = memoOf[j]
      if (known !== undefined) {
        result = known
        break
      }
      path.push(j)
      const id = side === 'origin' ? neighbours(structs[j]!).origin : structs[j]!.right
      j = undefined
      if (!id) break
      const f = find(id)
      if ('doc' in f) result = f.doc instanceof Y.Item ? f.doc : null
      else if ('index' in f) j = f.index
    }
    for (const j of path) memoOf[j] = result
    return result
  }
  let budget = maxPlacementSteps
  const charge = (from: Y.Item | null, to: Y.Item | null) => {
    for (let o = from; o !== null && o !== to; o = o.right) {
      if (--budget < 0) {
        refuse('too_large', 'Merging this update would take too long: its items sit far from their neighbours. Pull, then send your changes again.', {
          limit: maxPlacementSteps,
        })
      }
    }
  }
  // Items of this update that share both neighbours are placed among each other: each scans the ones placed before
  // it (a thousand origin-less values of one path scan half a million).
  const siblings = new Map<string, number>()
  const idText = (id: Y.ID | null) => (id ? idKey(id) : '-')
  structs.forEach((s, i) => {
    const c = memo[i] as Container
    if (s.kind === 'gc' || s.kind === 'skip' || c.kind === 'gc' || s.clock + s.length <= stateOf(s.client)) return
    const group = `${containerKey(c)}|${idText(neighbours(s).origin)}|${idText(s.right)}`
    const before = siblings.get(group) ?? 0
    siblings.set(group, before + 1)
    budget -= before
    if (budget < 0) {
      refuse('too_large', 'Merging this update would take too long: many of its items share one place. Pull, then send your changes again.', {
        limit: maxPlacementSteps,
      })
    }
    const left = anchor(i, 'origin')
    const right = anchor(i, 'right')
    if (left) return charge(left.right, right)
    // No stored neighbour on the left: Yjs starts from the first item of the text, or of the key's chain in a map.
    charge(firstItem(c), right)
  })

  /// The first stored item of a container, or `null` when the doc holds none.
  function firstItem(c: Container): Y.Item | null {
    if (c.kind === 'text') {
      const [client, clock] = c.text.split(':').map(Number) as [number, number]
      if (clock >= stateOf(client)) return null // a text the update creates
      const item = Y.getItem(doc.store, Y.createID(client, clock))
      const type = item instanceof Y.Item && item.content instanceof Y.ContentType ? (item.content.type as Y.AbstractType<unknown>) : undefined
      return type?._start ?? null
    }
    if (c.kind === 'gc') return null
    const map = c.kind === 'entry' ? files : folders
    let o = (map as Y.AbstractType<unknown> | undefined)?._map.get(c.key) ?? null
    while (o !== null && o.left !== null) {
      if (--budget < 0) refuse('too_large', 'Merging this update would take too long. Pull, then send your changes again.', { limit: maxPlacementSteps })
      o = o.left
    }
    return o
  }
}

const idKey = (id: Y.ID) => `${id.client}:${id.clock}`
const containerKey = (c: Container) =>
  c.kind === 'entry' || c.kind === 'folder' ? `${c.kind}:${c.key}` : c.kind === 'text' ? `text:${c.text}` : 'gc'
