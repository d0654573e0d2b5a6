import { SHARE_LIMITS, encodePack, packSize, sha256Hex } from '@slipway/shared'
import type { ShareManifest } from '@slipway/shared'
import { describe, expect, it } from 'vitest'
import { ShareLoader, filesOf, packBound, shareDocKey } from './ShareLoader.ts'
import type { Fetched, ShareRecord, SharePorts } from './ShareLoader.ts'

const LINK = 'AbCdEfGhIjKlMnOpQrSt-_'
const enc = new TextEncoder()

async function version(n: number, files: Record<string, string | Uint8Array>) {
  const entries = await Promise.all(
    Object.entries(files).map(async ([path, content]) => {
      const bytes = typeof content === 'string' ? enc.encode(content) : content
      return { path, bytes, sha256: await sha256Hex(bytes), binary: typeof content !== 'string' }
    }),
  )
  const unique = [...new Map(entries.map((e) => [e.sha256, { sha256: e.sha256, bytes: e.bytes }])).values()]
  const manifest: ShareManifest = {
    link: { id: LINK, projectName: 'Demo', owner: 'Ada', latest: n },
    version: { n, createdAt: '2026-12-06T00:00:00Z', files: entries.map((e) => ({ path: e.path, size: e.bytes.length, sha256: e.sha256, binary: e.binary })) },
  }
  return { manifest, pack: encodePack(unique) }
}

function ports(answer: () => Fetched<ShareManifest>, pack?: Uint8Array) {
  const records = new Map<string, ShareRecord>()
  const deleted: string[] = []
  const bounds: number[] = []
  const p: SharePorts = {
    manifest: async () => answer(),
    pack: async (_id, _n, maxBytes) => {
      bounds.push(maxBytes)
      if (!pack) return { ok: false, kind: 'network', message: 'offline' }
      // As the adapter does: past the bound the download stops.
      return pack.length > maxBytes ? { ok: false, kind: 'too-large', limit: maxBytes, received: maxBytes + 1 } : { ok: true, value: pack }
    },
    records: { get: async (id) => records.get(id), put: async (r) => void records.set(r.linkId, r), delete: async (id) => void records.delete(id) },
    deleteDoc: async (key) => void deleted.push(key),
    now: () => '2026-12-06T12:00:00Z',
  }
  return { p, records, deleted, bounds }
}

const signal = new AbortController().signal

describe('ShareLoader', () => {
  it('resolves the latest version, remembers it, and its files come from the pack checked by hash', async () => {
    const v = await version(3, { 'server.js': 'hi\n', 'a/logo.png': new Uint8Array([0, 255]), 'copy.js': 'hi\n' })
    const { p, records } = ports(() => ({ ok: true, value: v.manifest }), v.pack)
    const r = await new ShareLoader(p).resolve(LINK, undefined, signal)
    if (!r.ok) throw new Error(r.message)
    expect(r.info).toEqual({ linkId: LINK, projectName: 'Demo', owner: 'Ada', version: 3, latest: 3, offline: false })
    expect(r.docKey).toBe(shareDocKey(LINK, 3))
    expect(await r.files(signal)).toEqual([
      { path: 'server.js', content: 'hi\n' },
      { path: 'a/logo.png', content: new Uint8Array([0, 255]) },
      { path: 'copy.js', content: 'hi\n' },
    ])
    expect(records.get(LINK)).toMatchObject({ latest: 3, versions: [3] })
  })

  it.each([
    [410, 'revoked', 'This link was revoked'],
    [404, 'not-found', 'This link does not exist'],
  ] as const)('HTTP %i → %s', async (status, reason, message) => {
    const { p } = ports(() => ({ ok: false, kind: 'http', status, message: 'x' }))
    expect(await new ShareLoader(p).resolve(LINK, 2, signal)).toEqual({ ok: false, reason, message })
  })

  it('a revoked link deletes its stored versions from this device', async () => {
    const { p, records, deleted } = ports(() => ({ ok: false, kind: 'http', status: 410, message: 'gone' }))
    records.set(LINK, { linkId: LINK, projectName: 'Demo', owner: null, latest: 2, versions: [1, 2], seenAt: '' })
    await new ShareLoader(p).resolve(LINK, undefined, signal)
    expect(deleted).toEqual([shareDocKey(LINK, 1), shareDocKey(LINK, 2)])
    expect(records.has(LINK)).toBe(false)
  })

  it.each([
    ['the latest stored version', undefined, 2],
    ['a pinned stored version', 1, 1],
  ])('offline, %s opens from this device', async (_name, asked, expected) => {
    const { p, records } = ports(() => ({ ok: false, kind: 'network', message: 'Failed to fetch' }))
    records.set(LINK, { linkId: LINK, projectName: 'Demo', owner: null, latest: 2, versions: [1, 2], seenAt: '' })
    const r = await new ShareLoader(p).resolve(LINK, asked, signal)
    expect(r).toMatchObject({ ok: true, docKey: shareDocKey(LINK, expected), info: { version: expected, offline: true, owner: null } })
  })

  it('offline, a version never opened here says so', async () => {
    const { p, records } = ports(() => ({ ok: false, kind: 'network', message: 'Failed to fetch' }))
    records.set(LINK, { linkId: LINK, projectName: 'Demo', owner: null, latest: 2, versions: [2], seenAt: '' })
    expect(await new ShareLoader(p).resolve(LINK, 1, signal)).toEqual({
      ok: false,
      reason: 'offline',
      message: 'You are offline, and version 1 of this link is not stored on this device (stored: v2).',
    })
  })

  it('offline, a link this device holds nothing of says so without claiming it was never opened here', async () => {
    // A revoked link's copies and record were deleted when the server answered 410: this device may well have opened it.
    const { p } = ports(() => ({ ok: false, kind: 'network', message: 'Failed to fetch' }))
    const r = await new ShareLoader(p).resolve(LINK, undefined, signal)
    expect(r).toMatchObject({ ok: false, reason: 'offline' })
    expect(r.ok ? '' : r.message).toBe('You are offline, and this link is not stored on this device. Open it once while online to keep a copy here.')
  })
})

describe('the pack download is bounded by the manifest', () => {
  it('asks for at most the pack of the distinct blobs the manifest lists', async () => {
    const v = await version(2, { 'a.js': 'same\n', 'b.js': 'same\n', 'c.txt': 'other' })
    const { p, bounds } = ports(() => ({ ok: true, value: v.manifest }), v.pack)
    const r = await new ShareLoader(p).resolve(LINK, 2, signal)
    if (!r.ok) throw new Error(r.message)
    expect(await r.files(signal)).toHaveLength(3)
    expect(bounds).toEqual([v.pack.length])
    expect(packBound(v.manifest)).toBe(packSize([5, 5]))
  })

  it('a server sending more than the version holds gets a clear error, not a stored copy', async () => {
    const v = await version(1, { 'server.js': 'hi\n' })
    const padded = new Uint8Array(v.pack.length + 1024)
    padded.set(v.pack)
    const { p } = ports(() => ({ ok: true, value: v.manifest }), padded)
    const r = await new ShareLoader(p).resolve(LINK, 1, signal)
    if (!r.ok) throw new Error(r.message)
    await expect(r.files(signal)).rejects.toThrow(/download was stopped: the server sent more than this version holds/)
  })

  it('a manifest past the size limit is refused before anything is downloaded', async () => {
    const v = await version(1, { 'big.bin': new Uint8Array([1]) })
    const huge: ShareManifest = { ...v.manifest, version: { ...v.manifest.version, files: [{ ...v.manifest.version.files[0]!, size: SHARE_LIMITS.maxVersionBytes + 1 }] } }
    const { p, bounds } = ports(() => ({ ok: true, value: huge }), v.pack)
    const r = await new ShareLoader(p).resolve(LINK, 1, signal)
    if (!r.ok) throw new Error(r.message)
    await expect(r.files(signal)).rejects.toThrow(/more than a project may/)
    expect(bounds).toEqual([])
  })
})

describe('filesOf', () => {
  it.each<[string, (m: ShareManifest, pack: Uint8Array) => [ShareManifest, Uint8Array], RegExp]>([
    ['a blob the pack lacks', (m) => [m, encodePack([])], /lacks server\.js/],
    ['an altered blob', (m, pack) => [m, pack.map((b, i) => (i === pack.length - 1 ? b ^ 1 : b))], /altered/],
    ['a path outside the project', (m, pack) => [{ ...m, version: { ...m.version, files: [{ ...m.version.files[0]!, path: '../etc/passwd' }] } }, pack], /cannot open/],
    ['a malformed pack', (m) => [m, new Uint8Array([1, 2, 3])], /bad magic/],
  ])('refuses %s', async (_name, mutate, message) => {
    const v = await version(1, { 'server.js': 'hi\n' })
    const [m, pack] = mutate(v.manifest, v.pack)
    await expect(filesOf(m, pack)).rejects.toThrow(message)
  })
})
