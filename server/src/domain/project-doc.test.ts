import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { fileBytes, fileDigest, storedFile } from './project-doc.ts'

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

  test('binary files and missing paths', () => {
    const doc = new Y.Doc()
    doc.getMap('files').set('b.bin', new Uint8Array([0, 255, 7]))
    const { content: _content, ...expected } = storedFile('b.bin', new Uint8Array([0, 255, 7]))
    expect(fileDigest(doc, 'b.bin')).toEqual(expected)
    expect(fileDigest(doc, 'nope')).toBeUndefined()
  })
})
