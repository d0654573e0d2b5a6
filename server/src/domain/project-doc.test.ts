import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { applyClientUpdate, contentSize, digestContent, fileBytes, fileDigest, storedFile, textPieces } from './project-doc.ts'

describe('fileDigest', () => {
  test.each([
    ['ascii', 'hello\n'],
    ['multi-byte', 'héllo wörld — 你好 🚀\n'],
    ['lone surrogates', 'a\ud800b\udc00c'],
    ['empty', ''],
  ])('a text (%s) hashes and measures exactly like its UTF-8 bytes', (_name, text) => {
    const doc = new Y.Doc()
    doc.getMap('files').set('f.txt', new Y.Text(text))
    const { content: _content, ...expected } = storedFile('f.txt', fileBytes(doc, 'f.txt')!)
    expect(fileDigest(doc, 'f.txt')).toEqual(expected)
  })

  test('a text made of many items, from several clients, a surrogate pair split between two of them', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const text = a.getMap('files').set('f.txt', new Y.Text('start end'))
    text.insert(6, 'a\ud83d')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    b.getMap<Y.Text>('files').get('f.txt')!.insert(8, '\ude80b')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    for (let i = 0; i < 50; i++) text.insert((i * 7) % 6, i % 2 ? 'é' : 'x\n')
    text.delete(2, 3)
    expect(textPieces(text).length).toBeGreaterThan(10)
    expect(textPieces(text).some((piece) => /[\ud800-\udbff]$/.test(piece))).toBe(true)
    expect(textPieces(text).join('')).toBe(text.toString())
    const { content: _content, ...expected } = storedFile('f.txt', fileBytes(a, 'f.txt')!)
    expect(fileDigest(a, 'f.txt')).toEqual(expected)
  })

  test.each([
    [['a\ud83d', '\ude80b']],
    [['\ud83d', '\ude80']],
    [['x\ud83d', '', '\ude80']],
    [['\ud83d', '\ud83d', '\ude80']],
    [['end\ud83d']],
    [['\ude80', 'a']],
    [[]],
  ])('pieces %j hash like their joined string', (pieces) => {
    const joined = pieces.join('')
    const { content: _content, ...expected } = storedFile('f.txt', new TextEncoder().encode(joined))
    expect(digestContent({ path: 'f.txt', content: pieces })).toEqual(expected)
    expect(contentSize(pieces)).toBe(expected.size)
  })

  test('binary files and missing paths', () => {
    const doc = new Y.Doc()
    doc.getMap('files').set('b.bin', new Uint8Array([0, 255, 7]))
    const { content: _content, ...expected } = storedFile('b.bin', new Uint8Array([0, 255, 7]))
    expect(fileDigest(doc, 'b.bin')).toEqual(expected)
    expect(fileDigest(doc, 'nope')).toBeUndefined()
  })
})

describe('applyClientUpdate: what a push stores', () => {
  const edits = (doc: Y.Doc, f: () => void) => {
    const before = Y.encodeStateVector(doc)
    f()
    return Y.encodeStateAsUpdate(doc, before)
  }

  test('an update that continues the doc is stored as sent; a retry of it stores nothing', () => {
    const client = new Y.Doc()
    const server = new Y.Doc()
    const first = edits(client, () => client.getMap('files').set('a.txt', new Y.Text('hello')))
    expect(applyClientUpdate(server, first).delta).toBe(first)
    expect(applyClientUpdate(server, first).delta).toBeNull()
  })

  test('an update overlapping what the doc has stores only the new part, and the doc ends the same either way', () => {
    const client = new Y.Doc()
    const server = new Y.Doc()
    const older = edits(client, () => client.getMap('files').set('a.txt', new Y.Text('hello')))
    applyClientUpdate(server, older)
    const stored = Y.encodeStateAsUpdate(server)
    client.getMap<Y.Text>('files').get('a.txt')!.insert(5, ' world')
    client.getMap<Y.Text>('files').get('a.txt')!.delete(0, 1)
    const overlapping = Y.encodeStateAsUpdate(client) // everything, the part the server has included
    const { delta } = applyClientUpdate(server, overlapping)
    expect(delta).not.toBeNull()
    expect(delta).not.toBe(overlapping)
    // The log (what was stored, then the delta) rebuilds exactly the doc the client has.
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, stored)
    Y.applyUpdate(rebuilt, delta!)
    expect(rebuilt.getMap<Y.Text>('files').get('a.txt')!.toString()).toBe('ello world')
    expect(Y.encodeStateAsUpdate(rebuilt)).toEqual(Y.encodeStateAsUpdate(client))
  })

  test('deletions only are stored as the change they made', () => {
    const client = new Y.Doc()
    const server = new Y.Doc()
    applyClientUpdate(server, edits(client, () => client.getMap('files').set('a.txt', new Y.Text('hello'))))
    const deletion = edits(client, () => client.getMap<Y.Text>('files').get('a.txt')!.delete(0, 2))
    const { delta } = applyClientUpdate(server, deletion)
    expect(delta).not.toBeNull()
    expect(server.getMap<Y.Text>('files').get('a.txt')!.toString()).toBe('llo')
    expect(applyClientUpdate(server, deletion).delta).toBeNull()
  })
})
