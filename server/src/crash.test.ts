import { createHash } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FILES_MAP, YJS_UPDATE_CONTENT_TYPE, fromBase64Url } from '@slipway/shared'
import { afterAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { createScratchPostgres, postgresUnavailable } from './test/databases.ts'
import { start } from './test/process.ts'
import { rng } from './test/sync-client.ts'

// Kill -9 the server while a client streams syncs. After a restart the stored doc must hold every acknowledged
// update, and any unacknowledged one either whole or not at all.

const PASSWORD = 'crash test password'

async function signIn(base: string, email: string, signup: boolean): Promise<string> {
  const res = await fetch(`${base}/api/auth/${signup ? 'signup' : 'login'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  expect(res.status).toBe(signup ? 201 : 200)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

/// Update i adds two files and appends to a log; a partial apply would show one without the other.
function step(doc: Y.Doc, i: number) {
  const files = doc.getMap<Y.Text>(FILES_MAP)
  doc.transact(() => {
    files.set(`step${i}/a.txt`, new Y.Text(`a${i}:`.repeat(500)))
    files.set(`step${i}/b.txt`, new Y.Text(`b${i}:`.repeat(500)))
    if (!files.has('log.txt')) files.set('log.txt', new Y.Text())
    files.get('log.txt')!.insert(files.get('log.txt')!.length, `<${i}>`)
  })
}

async function crashRound(env: Record<string, string>, seed: number) {
  const r = rng(seed)
  let server = await start(env)
  const email = `crash${seed}-${Date.now()}@example.com`
  let cookie = await signIn(server.url, email, true)
  const created = await fetch(`${server.url}/api/projects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'crash' }),
  })
  const { project } = (await created.json()) as { project: { id: string } }

  const doc = new Y.Doc()
  let serverSv: Uint8Array = new Uint8Array([0])
  const acked: number[] = []
  let inFlight: number | undefined
  const killAt = Date.now() + 300 + r.int(1200)
  const killer = new Promise<void>((resolve) =>
    setTimeout(() => {
      server.child.kill('SIGKILL')
      resolve()
    }, killAt - Date.now()),
  )
  for (let i = 0; ; i++) {
    step(doc, i)
    inFlight = i
    try {
      const res = await fetch(`${server.url}/api/projects/${project.id}/sync`, {
        method: 'POST',
        headers: { 'content-type': YJS_UPDATE_CONTENT_TYPE, cookie },
        body: Y.encodeStateAsUpdate(doc, serverSv),
      })
      if (res.status !== 200) throw new Error(`sync answered ${res.status}`)
      serverSv = fromBase64Url(((await res.json()) as { stateVector: string }).stateVector)!
      acked.push(i)
      inFlight = undefined
    } catch {
      break // the server is gone
    }
  }
  await killer
  await server.exit

  server = await start(env)
  try {
    cookie = await signIn(server.url, email, false)
    const pulled = await fetch(`${server.url}/api/projects/${project.id}/sync?sv=`, { headers: { cookie } })
    const stored = new Y.Doc()
    Y.applyUpdate(stored, new Uint8Array(await pulled.arrayBuffer()))
    const files = stored.getMap<Y.Text>(FILES_MAP)
    const log = files.get('log.txt')?.toString() ?? ''
    expect(acked.length, 'some syncs were acknowledged before the kill').toBeGreaterThan(0)
    for (const i of acked) {
      expect(files.get(`step${i}/a.txt`)?.toString(), `acked ${i}`).toBe(`a${i}:`.repeat(500))
      expect(files.get(`step${i}/b.txt`)?.toString(), `acked ${i}`).toBe(`b${i}:`.repeat(500))
      expect(log).toContain(`<${i}>`)
    }
    if (inFlight !== undefined) {
      const parts = [files.has(`step${inFlight}/a.txt`), files.has(`step${inFlight}/b.txt`), log.includes(`<${inFlight}>`)]
      expect(parts.every((p) => p === parts[0]), `unacknowledged ${inFlight} is whole or absent: ${parts}`).toBe(true)
    }
    const highest = Math.max(...acked, inFlight ?? -1)
    for (let j = highest + 1; j < highest + 3; j++) expect(files.has(`step${j}/a.txt`)).toBe(false)
    // The materialized view committed with the doc: the same files, sizes and hashes (the view stores sizes with
    // each push and hashes what changed when listed, so some of these are hashed only now, from the doc).
    const listing = (await (await fetch(`${server.url}/api/projects/${project.id}/files`, { headers: { cookie } })).json()) as {
      files: Array<{ path: string; size: number; sha256: string }>
    }
    const expected = [...files.keys()].sort().map((p) => {
      const bytes = new TextEncoder().encode(files.get(p)!.toString())
      return { path: p, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }
    })
    expect(listing.files.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(expected)
    return acked.length
  } finally {
    server.child.kill('SIGTERM')
    await server.exit
  }
}

describe('crash safety: SIGKILL during a stream of syncs', () => {
  test('embedded PGlite', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'slipway-crash-'))
    for (const seed of [1, 2]) await crashRound({ SLIPWAY_DATA_DIR: dataDir }, seed)
  }, 120_000)

  const drops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const d of drops) await d()
  })
  test('Postgres', async (t) => {
    const skip = await postgresUnavailable()
    if (skip) return t.skip(skip)
    const scratch = await createScratchPostgres()
    drops.push(scratch.drop)
    for (const seed of [3, 4, 5]) await crashRound({ DATABASE_URL: scratch.url }, seed)
  }, 120_000)
})
