import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { LinkSealer, docCovers, hashLinkId, newLinkId, snapshotDoc } from './shares.ts'

const key = ['sk-', 'a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV'].join('')

function doc(files: Record<string, string | Uint8Array>) {
  const d = new Y.Doc()
  d.transact(() => {
    for (const [p, c] of Object.entries(files)) d.getMap('files').set(p, typeof c === 'string' ? new Y.Text(c) : c)
  })
  return d
}

test('snapshotDoc: files sorted with sizes, hashes and kinds; never-shared and oversized files named; secrets found', () => {
  const s = snapshotDoc(
    doc({
      'b.txt': 'hé',
      'a.bin': Uint8Array.of(1, 2),
      '.env': `KEY=${key}`,
      'node_modules/x/index.js': 'x',
      'big.txt': 'x'.repeat(5 * 1024 * 1024 + 1),
      'src/key.js': `\n\nconst k = "${key}"`,
    }),
  )
  expect(s.files.map((f) => [f.path, f.size, f.binary])).toEqual([
    ['a.bin', 2, true],
    ['b.txt', 3, false],
    ['src/key.js', 2 + 12 + key.length, false],
  ])
  expect(s.files[1]!.sha256).toMatch(/^[0-9a-f]{64}$/)
  expect(s.omitted).toEqual([
    { path: '.env', reason: 'ignored' },
    { path: 'big.txt', reason: 'too_large' },
    { path: 'node_modules/x/index.js', reason: 'ignored' },
  ])
  // The key in .env does not block: .env is never shared anyway.
  expect(s.secrets).toEqual([{ path: 'src/key.js', line: 3, kind: 'openai_key' }])
})

test('docCovers: true when the server holds everything the client has seen', () => {
  const server = doc({ 'a.txt': 'x' })
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const sv = () => Y.decodeStateVector(Y.encodeStateVector(client))
  expect(docCovers(server, sv())).toBe(true)
  expect(docCovers(server, new Map())).toBe(true)
  ;(client.getMap('files').get('a.txt') as Y.Text).insert(0, 'y')
  expect(docCovers(server, sv())).toBe(false)
})

test('link ids: 22 base64url characters, distinct; sealed ids open only with their key', () => {
  const ids = new Set(Array.from({ length: 1000 }, newLinkId))
  expect(ids.size).toBe(1000)
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  const id = newLinkId()
  expect(hashLinkId(id)).toMatch(/^[0-9a-f]{64}$/)
  const sealer = new LinkSealer(new Uint8Array(32).fill(7))
  const sealed = sealer.seal(id)
  expect(sealed).not.toContain(id)
  expect(sealer.open(sealed)).toBe(id)
  expect(new LinkSealer(new Uint8Array(32).fill(8)).open(sealed)).toBeUndefined()
  expect(sealer.open('garbage')).toBeUndefined()
})
