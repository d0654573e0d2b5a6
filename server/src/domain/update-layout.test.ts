import { FILES_MAP } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { rng } from '../test/sync-client.ts'
import { checkUpdateLayout } from './update-layout.ts'

/// The update `fn` makes on a fresh client that already holds `base` (what the server holds).
function edit(base: Y.Doc, fn: (files: Y.Map<unknown>, doc: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base))
  const sv = Y.encodeStateVector(client)
  client.transact(() => fn(client.getMap(FILES_MAP), client))
  return Y.encodeStateAsUpdate(client, sv)
}

function serverWith(files: Record<string, string>): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 5 // small, so hand-made bytes can name its items in one byte
  const map = doc.getMap(FILES_MAP)
  for (const [p, t] of Object.entries(files)) map.set(p, new Y.Text(t))
  return doc
}

const verdict = (doc: Y.Doc, update: Uint8Array) => {
  const v = checkUpdateLayout(doc, update)
  return v.ok ? 'ok' : `${v.kind}: ${v.message}`
}

describe('checkUpdateLayout: what the web client writes passes', () => {
  test('new files, edits inside texts, binaries, renames and deletions', () => {
    const server = serverWith({ 'index.js': 'console.log(1)\n', 'src/a.ts': 'export const a = 1\n' })
    expect(verdict(server, Y.encodeStateAsUpdate(server))).toBe('ok')
    const u = edit(server, (files) => {
      ;(files.get('index.js') as Y.Text).insert(8, 'hello ')
      ;(files.get('index.js') as Y.Text).delete(0, 3)
      files.set('logo.png', new Uint8Array([137, 80, 78, 71]))
      files.set('b.ts', new Y.Text('x'))
      files.delete('src/a.ts')
    })
    expect(verdict(server, u)).toBe('ok')
  })

  test('a file replaced by another value under the same path (its item has the old value as origin)', () => {
    const server = serverWith({ 'a.txt': 'one' })
    expect(verdict(server, edit(server, (files) => files.set('a.txt', new Y.Text('two'))))).toBe('ok')
    expect(verdict(server, edit(server, (files) => files.set('a.txt', new Uint8Array([1]))))).toBe('ok')
  })

  test('typing after the server has garbage-collected what the text used to hold', () => {
    const server = serverWith({ 'a.txt': 'abcdef' })
    Y.applyUpdate(server, edit(server, (files) => (files.get('a.txt') as Y.Text).delete(1, 4)))
    expect(verdict(server, edit(server, (files) => (files.get('a.txt') as Y.Text).insert(1, 'XY')))).toBe('ok')
  })

  test('a stale client re-sends part of what the server has, in one merged item (partial overlap)', () => {
    const client = new Y.Doc()
    const text = new Y.Text('')
    client.getMap(FILES_MAP).set('a.txt', text)
    const server = new Y.Doc()
    text.insert(0, 'abc')
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    text.insert(3, 'def') // merges with "abc" into one item on the client
    const stale = Y.encodeStateAsUpdate(client, new Uint8Array([0]))
    expect(verdict(server, stale)).toBe('ok')
    Y.applyUpdate(server, stale)
    expect((server.getMap(FILES_MAP).get('a.txt') as Y.Text).toString()).toBe('abcdef')
  })

  test('random concurrent edits from several clients, merged any way, all pass and agree with Yjs on the struct count', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed).next
      const server = serverWith({ 'a.txt': 'hello world', 'b.txt': '' })
      const clients = [0, 1, 2].map(() => {
        const d = new Y.Doc()
        Y.applyUpdate(d, Y.encodeStateAsUpdate(server))
        return d
      })
      const updates: Uint8Array[] = []
      for (const c of clients) c.on('update', (u: Uint8Array) => updates.push(u))
      for (let step = 0; step < 60; step++) {
        const c = clients[Math.floor(random() * clients.length)]!
        const files = c.getMap(FILES_MAP)
        const paths = [...files.keys()]
        const roll = random()
        if (roll < 0.1) files.set(`f${Math.floor(random() * 5)}.txt`, new Y.Text('new'))
        else if (roll < 0.15 && paths.length > 1) files.delete(paths[Math.floor(random() * paths.length)]!)
        else if (roll < 0.2) files.set(`bin${Math.floor(random() * 3)}`, new Uint8Array([Math.floor(random() * 256)]))
        else {
          const value = files.get(paths[Math.floor(random() * paths.length)]!)
          if (value instanceof Y.Text) {
            if (random() < 0.3 && value.length > 0) value.delete(Math.floor(random() * value.length), 1)
            else value.insert(Math.floor(random() * (value.length + 1)), random() < 0.5 ? 'x' : 'yz😀')
          }
        }
        if (random() < 0.3) {
          const [x, y] = [clients[0]!, clients[Math.floor(random() * clients.length)]!]
          Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)))
        }
      }
      // Apply in random groups, as pushes would arrive.
      const order = updates.map((u) => ({ u, k: random() })).sort((a, b) => a.k - b.k)
      for (let i = 0; i < order.length; ) {
        const n = 1 + Math.floor(random() * 6)
        const merged = Y.mergeUpdates(order.slice(i, i + n).map((o) => o.u))
        i += n
        const v = checkUpdateLayout(server, merged)
        if (!v.ok && v.kind === 'missing') continue // waits for a later, complete push
        expect(v.ok ? 'ok' : v.message, `seed ${seed}`).toBe('ok')
        if (v.ok) expect(v.structs).toBe(Y.decodeUpdate(merged).structs.length)
        Y.applyUpdate(server, merged)
      }
      for (const c of clients) {
        const full = Y.encodeStateAsUpdate(c, Y.encodeStateVector(server))
        const v = checkUpdateLayout(server, full)
        expect(v.ok ? 'ok' : v.message, `seed ${seed}`).toBe('ok')
        Y.applyUpdate(server, full)
      }
      expect(server.store.pendingStructs).toBeNull()
    }
  })
})

describe('checkUpdateLayout: anything outside the layout is refused before it is applied', () => {
  const server = () => serverWith({ 'a.txt': 'hello' })

  test.each([
    ['a nested map in the files map', (f: Y.Map<unknown>) => f.set('x', new Y.Map()), /Y\.Map/],
    ['an array in the files map', (f: Y.Map<unknown>) => f.set('x', new Y.Array()), /Y\.Array/],
    ['an XML fragment in the files map', (f: Y.Map<unknown>) => f.set('x', new Y.XmlFragment()), /XmlFragment/],
    ['a plain string value in the files map', (f: Y.Map<unknown>) => f.set('x', 'text'), /"any" value/],
    ['a JSON-ish number in the files map', (f: Y.Map<unknown>) => f.set('x', 42), /"any" value/],
    ['a subdocument', (f: Y.Map<unknown>) => f.set('x', new Y.Doc()), /subdocument/],
    ['an embed in a file text', (f: Y.Map<unknown>) => (f.get('a.txt') as Y.Text).insertEmbed(1, { big: 'x'.repeat(100) }), /embed/],
    ['a format attribute in a file text', (f: Y.Map<unknown>) => (f.get('a.txt') as Y.Text).format(0, 2, { bold: true }), /format/],
    ['text inserted with attributes', (f: Y.Map<unknown>) => (f.get('a.txt') as Y.Text).insert(0, 'x', { b: 1 }), /format/],
    ['a Y.Text embedded in a file text', (f: Y.Map<unknown>) => (f.get('a.txt') as Y.Text).insertEmbed(0, new Y.Text('x')), /only text/],
    ['a bad path', (f: Y.Map<unknown>) => f.set('../etc/passwd', new Y.Text('x')), /Invalid path/],
    ['node_modules', (f: Y.Map<unknown>) => f.set('node_modules/x/index.js', new Y.Text('x')), /Invalid path/],
  ])('%s', (_name, fn, message) => {
    const s = server()
    const v = checkUpdateLayout(s, edit(s, fn))
    expect(v.ok).toBe(false)
    if (!v.ok) {
      expect(v.kind).toBe('layout')
      expect(v.message).toMatch(message)
    }
  })

  test('another root type', () => {
    const s = server()
    expect(verdict(s, edit(s, (_f, doc) => doc.getText('other').insert(0, 'x')))).toMatch(/layout: Unknown root type "other"/)
    expect(verdict(s, edit(s, (_f, doc) => doc.getArray('other').insert(0, [1])))).toMatch(/layout/)
    // Refused before Yjs ever saw it: the doc gained no root.
    expect([...s.share.keys()]).toEqual([FILES_MAP])
  })

  test('the nested-map chain of the review (any depth) is refused at its first struct', () => {
    const s = server()
    const u = edit(s, (f) => {
      let m = new Y.Map<unknown>()
      f.set('x', m)
      for (let i = 0; i < 1000; i++) {
        const next = new Y.Map<unknown>()
        m.set('k', next)
        m = next
      }
    })
    expect(verdict(s, u)).toMatch(/^layout: .*Y\.Map/)
  })

  test('string content straight in the files map, or a string under a binary, by hand-made bytes', () => {
    // One client, one struct: info = string content (4) with an explicit root parent and a key (BIT6).
    const u = new Uint8Array([1, 1, 7, 0, 4 | 0x20, 1, 5, ...new TextEncoder().encode(FILES_MAP), 1, 'x'.charCodeAt(0), 2, 104, 105, 0])
    expect(Y.decodeUpdate(u).structs.length).toBe(1) // Yjs reads it as we do
    expect(verdict(server(), u)).toMatch(/layout: A file must be a Y.Text or bytes/)
  })

  test('an item parented to a text item that is not a file: refused; to a struct beyond the doc: missing', () => {
    const s = server()
    const text = s.getMap(FILES_MAP).get('a.txt') as Y.Text
    const charId = text._start!.id // a string item, not a type
    // info = string content, parent given as an id (parentInfo 0), no key.
    const asChild = (client: number, clock: number) => new Uint8Array([1, 1, 9, 0, 4, 0, client, clock, 1, 'z'.charCodeAt(0), 0])
    expect(charId.client).toBeLessThan(128)
    expect(verdict(s, asChild(charId.client, charId.clock))).toMatch(/layout: .*not a file/)
    expect(verdict(s, asChild(99, 0))).toMatch(/^missing/)
  })

  test('items that name each other as origins in a cycle', () => {
    // Client 1's item has client 2's item as origin and vice versa: Yjs would wait forever.
    const u = new Uint8Array([2, 1, 2, 0, 4 | 0x80, 1, 0, 1, 'a'.charCodeAt(0), 1, 1, 0, 4 | 0x80, 2, 0, 1, 'b'.charCodeAt(0), 0])
    expect(verdict(new Y.Doc(), u)).toMatch(/cycle/)
  })

  test('garbage, truncated and padded bytes are malformed', () => {
    const s = server()
    const good = edit(s, (f) => f.set('b.txt', new Y.Text('b')))
    expect(verdict(s, new Uint8Array([0xff, 0xff, 0xff]))).toMatch(/^malformed/)
    expect(verdict(s, good.subarray(0, good.length - 3))).toMatch(/^malformed/)
    expect(verdict(s, new Uint8Array([...good, 0]))).toMatch(/^malformed: .*trailing/)
    expect(verdict(s, new Uint8Array([1, 1, 1, 0, 11, 0, 0]))).toMatch(/^malformed/) // struct type 11
  })

  test('structs and delete ranges are capped per update, counted before anything is built', () => {
    const s = serverWith({ 'a.txt': 'a'.repeat(200) })
    const many = edit(s, (f) => {
      const t = f.get('a.txt') as Y.Text
      for (let i = 0; i < 50; i++) t.insert(i * 3, 'x') // 50 separate items
    })
    expect(checkUpdateLayout(s, many, { maxStructs: 10, maxDeleteRanges: 10 })).toMatchObject({ ok: false, kind: 'too_large' })
    expect(checkUpdateLayout(s, many, { maxStructs: 100, maxDeleteRanges: 10 }).ok).toBe(true)
    Y.applyUpdate(s, edit(s, (f) => (f.get('a.txt') as Y.Text).insert(200, 'abcdefghijklmnopqrst')))
    const holes = edit(s, (f) => {
      const t = f.get('a.txt') as Y.Text
      for (let i = 0; i < 10; i++) t.delete(200 + i, 1) // every other character: 10 ranges
    })
    expect(checkUpdateLayout(s, holes, { maxStructs: 100, maxDeleteRanges: 5 })).toMatchObject({ ok: false, kind: 'too_large' })
    // A claimed count far past the cap is refused without allocating for it.
    expect(checkUpdateLayout(s, new Uint8Array([1, 0xff, 0xff, 0xff, 0x7f, 1, 0]))).toMatchObject({ ok: false, kind: 'too_large' })
  })

  test('a deep chain of text items (each the origin of the next) is checked without recursion', () => {
    const s = serverWith({ 'a.txt': '' })
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(s))
    const sv = Y.encodeStateVector(client)
    const t = client.getMap(FILES_MAP).get('a.txt') as Y.Text
    // Inserting at the front each time keeps every item separate, each chained to the previous by its right origin.
    for (let i = 0; i < 100_000; i++) t.insert(0, 'x')
    expect(verdict(s, Y.encodeStateAsUpdate(client, sv))).toBe('ok')
  })
})

describe('checkUpdateLayout: empty folders', () => {
  test('a folder entry holding true is accepted, and deleting it too', () => {
    const s = serverWith({ 'a.txt': 'x' })
    const add = edit(s, (_f, doc) => doc.getMap('folders').set('docs/empty', true))
    expect(verdict(s, add)).toBe('ok')
    Y.applyUpdate(s, add)
    expect(verdict(s, edit(s, (_f, doc) => doc.getMap('folders').delete('docs/empty')))).toBe('ok')
    expect(verdict(s, edit(s, (_f, doc) => doc.getMap('folders').set('docs/empty', true)))).toBe('ok') // set again over it
  })

  test.each([
    ['false', (m: Y.Map<unknown>) => m.set('d', false)],
    ['a string', (m: Y.Map<unknown>) => m.set('d', 'yes')],
    ['an object', (m: Y.Map<unknown>) => m.set('d', { nested: { deep: true } })],
    ['two values', (m: Y.Map<unknown>) => m.set('d', [true, true])],
    ['a text', (m: Y.Map<unknown>) => m.set('d', new Y.Text('x'))],
    ['bytes', (m: Y.Map<unknown>) => m.set('d', new Uint8Array([1]))],
    ['a bad path', (m: Y.Map<unknown>) => m.set('../up', true)],
    ['node_modules', (m: Y.Map<unknown>) => m.set('node_modules/x', true)],
  ])('a folder entry holding %s is refused', (_name, fn) => {
    const s = serverWith({ 'a.txt': 'x' })
    expect(verdict(s, edit(s, (_f, doc) => fn(doc.getMap('folders'))))).toMatch(/^layout/)
  })

  test('true is a folder flag only: in the files map or inside a text it is refused', () => {
    const s = serverWith({ 'a.txt': 'x' })
    expect(verdict(s, edit(s, (f) => f.set('b', true)))).toMatch(/^layout: A file must be/)
  })
})

describe('checkUpdateLayout: what placing the items costs Yjs is bounded', () => {
  const limits = (maxPlacementSteps: number) => ({ maxStructs: 100_000, maxDeleteRanges: 100_000, maxPlacementSteps })

  test('an editor’s writes cost almost nothing: typing, pasting, typing at the start, replacing files', () => {
    const s = serverWith({ 'a.txt': 'x'.repeat(1000), 'b.txt': '' })
    const t0 = s.getMap(FILES_MAP).get('a.txt') as Y.Text
    for (let i = 0; i < 500; i++) t0.insert(i * 2, 'y') // a stored text of many items
    const u = edit(s, (f) => {
      const t = f.get('a.txt') as Y.Text
      for (let i = 0; i < 300; i++) t.insert(400 + i, 'k') // typing in the middle
      for (let i = 0; i < 50; i++) t.insert(0, 'h') // typing at the start
      t.insert(700, 'pasted '.repeat(100))
      ;(f.get('b.txt') as Y.Text).insert(0, 'new')
      f.set('b.txt', new Y.Text('replaced'))
      f.set('c.txt', new Y.Text('created'))
    })
    expect(checkUpdateLayout(s, u, limits(2000)).ok).toBe(true)
  })

  test('items without a left neighbour scan the whole text: refused past the budget', () => {
    const s = serverWith({ 'a.txt': '' })
    const t0 = s.getMap(FILES_MAP).get('a.txt') as Y.Text
    for (let i = 0; i < 2000; i++) t0.insert(0, 'x') // 2,000 stored items
    const parent = t0._item!.id
    // Hand-made: 50 characters each with the text as explicit parent and no neighbours (Yjs scans all 2,000).
    const struct = [4, 0, parent.client, parent.clock, 1, 'y'.charCodeAt(0)]
    const u = new Uint8Array([1, 50, 2, 0, ...Array.from({ length: 50 }, () => struct).flat(), 0])
    expect(checkUpdateLayout(s, u, limits(10_000))).toMatchObject({ ok: false, kind: 'too_large' })
    expect(checkUpdateLayout(s, u, limits(1_000_000)).ok).toBe(true)
  })

  test('many items sharing one place scan each other: refused past the budget', () => {
    const s = serverWith({ 'a.txt': 'ab' })
    // 1,000 values of one new path, none with an origin: each scans the ones before it.
    const path = new TextEncoder().encode('p.bin')
    const struct = [3 | 0x20, 1, 5, ...new TextEncoder().encode(FILES_MAP), path.length, ...path, 1, 7]
    const u = new Uint8Array([1, ...[0xe8, 0x07], 2, 0, ...Array.from({ length: 1000 }, () => struct).flat(), 0])
    expect(checkUpdateLayout(s, u, limits(100_000))).toMatchObject({ ok: false, kind: 'too_large' })
    expect(checkUpdateLayout(s, u, limits(1_000_000)).ok).toBe(true)
  })
})
