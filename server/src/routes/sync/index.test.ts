import { ErrorBodySchema, FILES_MAP, LIMITS, TEMPLATES, YJS_UPDATE_CONTENT_TYPE, toBase64Url } from '@slipway/shared'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { openDatabase, schema } from '../../adapters/db/index.ts'
import { TestClient, testApp } from '../../test/app.ts'
import { MIGRATIONS, describeEachDb } from '../../test/databases.ts'
import { SyncingDevice, fileDigests, rng, serverDigests } from '../../test/sync-client.ts'

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code
const fileBytesOf = (d: SyncingDevice, path: string) => {
  const value = d.files.get(path)
  return value instanceof Y.Text ? new TextEncoder().encode(value.toString()) : (value as Uint8Array)
}
const text = (d: SyncingDevice, path: string) => (d.files.get(path) as Y.Text | undefined)?.toString()

describeEachDb('sync', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({ database: ctx.database })
  })

  async function project(template?: string) {
    const http = new TestClient(app)
    await http.signup()
    const { id } = await http.createProject('sync test', template)
    return { http, id, device: () => new SyncingDevice(http, id) }
  }

  async function storedUpdateRows(id: string) {
    return (await ctx.database.db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, id))).length
  }

  test('a new project from a template starts with its files; a pull with an empty sv gets them all', async () => {
    const { id, device } = await project('node-server')
    const d = device()
    expect((await d.pull()).headers.get('content-type')).toBe(YJS_UPDATE_CONTENT_TYPE)
    expect(text(d, 'server.js')).toBe(TEMPLATES['node-server'].files['server.js'])
    expect(Object.keys(await serverDigests(d.http, id)).sort()).toEqual(Object.keys(TEMPLATES['node-server'].files).sort())
  })

  test('an edit pushed by one device reaches another; files view and raw bytes follow', async () => {
    const { id, device } = await project('node-server')
    const a = device()
    const b = device()
    await a.pull()
    await b.pull()
    const t = a.files.get('server.js') as Y.Text
    t.insert(t.toString().indexOf('Hello from'), 'Edited: ')
    a.files.set('notes/todo.md', new Y.Text('- ship it\n'))
    a.files.set('logo.bin', new Uint8Array([0, 1, 2, 255]))
    const res = await a.push()
    expect(res.status).toBe(200)
    expect((await res.json()) as unknown).toEqual({ stateVector: expect.stringMatching(/^[A-Za-z0-9_-]+$/) })
    await b.pull()
    expect(text(b, 'server.js')).toContain('Edited: Hello from')
    expect(text(b, 'notes/todo.md')).toBe('- ship it\n')
    expect(fileDigests(b.doc)).toEqual(await serverDigests(a.http, id))
    const raw = await a.http.get(`/api/projects/${id}/files/notes/todo.md`)
    expect(raw.status).toBe(200)
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await raw.text()).toBe('- ship it\n')
    const bin = await a.http.get(`/api/projects/${id}/files/logo.bin`)
    expect(bin.headers.get('content-type')).toBe('application/octet-stream')
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]))
  })

  test('the files view right after an acknowledged push lists exactly the pushed files; hashes are stored once listed', async () => {
    const { id, device } = await project('node-server')
    const d = device()
    await d.pull()
    const listing = async () =>
      ((await (await d.http.get(`/api/projects/${id}/files`)).json()) as { files: Array<{ path: string; size: number; sha256: string }> }).files.sort(
        (x, y) => (x.path < y.path ? -1 : 1),
      )
    const expected = () =>
      Object.entries(fileDigests(d.doc))
        .map(([path, sha256]) => ({ path, size: fileBytesOf(d, path).byteLength, sha256 }))
        .sort((x, y) => (x.path < y.path ? -1 : 1))
    const stored = async () =>
      (await ctx.database.db.select().from(schema.projectFiles).where(eq(schema.projectFiles.projectId, id))).map((r) => [r.path, r.sha256] as const)
    const t = d.files.get('server.js') as Y.Text
    for (let round = 0; round < 3; round++) {
      t.insert(round * 7, `// round ${round} — ünïcödé 🚀\n`)
      d.files.set(`notes/${round}.md`, new Y.Text('x'.repeat(1000 * round)))
      if (round === 2) d.files.delete('notes/0.md')
      expect((await d.push()).status).toBe(200)
      // The push stored sizes only: what it changed waits to be hashed.
      expect(new Map(await stored()).get('server.js')).toBeNull()
      expect(await listing()).toEqual(expected())
      expect((await stored()).every(([, sha]) => typeof sha === 'string')).toBe(true)
    }
    // Listed again with nothing changed: the same, straight from the view.
    expect(await listing()).toEqual(expected())
  })

  test('listed sizes stay exact through ASCII and other edits, deletions and replacements, batched or not', async () => {
    const { id, device } = await project()
    const devices = [device(), device()]
    const r = rng(7)
    const listing = async () =>
      Object.fromEntries(
        ((await (await devices[0]!.http.get(`/api/projects/${id}/files`)).json()) as { files: Array<{ path: string; size: number }> }).files.map(
          (f) => [f.path, f.size],
        ),
      )
    const sizes = (d: SyncingDevice) => Object.fromEntries([...d.files.keys()].map((path) => [path, fileBytesOf(d, path).byteLength]))
    const pieces = ['plain ascii ', 'line\n', 'é', '🚀', '\ud83d', '\ude80', '你好', 'x'.repeat(300)]
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        devices.map(async (d, k) => {
          await d.pull()
          // An all-ASCII file edited with ASCII only (sized from the edits alone), and files that get everything.
          const a = (d.files.get('ascii.txt') as Y.Text | undefined) ?? d.files.set('ascii.txt', new Y.Text('start\n'))
          if (r.int(2)) a.insert(r.int(a.length + 1), r.pick(pieces.slice(0, 2)))
          if (r.int(2) && a.length > 0) a.delete(r.int(a.length), 1 + r.int(Math.min(5, a.length)))
          for (let n = 1 + r.int(3); n > 0; n--) {
            const path = `f${r.int(3)}.txt`
            let t = d.files.get(path) as Y.Text | undefined
            if (!t || r.int(15) === 0) d.files.set(path, (t = new Y.Text(r.pick(pieces))))
            const op = r.int(10)
            if (op < 5) t.insert(r.int(t.length + 1), r.int(3) ? r.pick(pieces.slice(0, 2)) : r.pick(pieces))
            else if (op < 8 && t.length > 0) t.delete(r.int(t.length), 1 + r.int(Math.min(5, t.length)))
            else if (op === 8) d.files.set(path, new Y.Text(`${k}${r.pick(pieces)}`))
            else t.insert(0, r.pick(pieces))
          }
          expect((await d.push()).status).toBe(200)
        }),
      )
      if (round % 5 === 4) {
        await devices[0]!.pull()
        // The sizes the pushes stored (what the limits are checked against), then the listing.
        const rows = await ctx.database.db.select().from(schema.projectFiles).where(eq(schema.projectFiles.projectId, id))
        expect(Object.fromEntries(rows.map((f) => [f.path, f.size]))).toEqual(sizes(devices[0]!))
        expect(await listing()).toEqual(sizes(devices[0]!))
      }
    }
  })

  test('project files that a browser would run are served as plain text', async () => {
    const { id, device } = await project()
    const d = device()
    d.files.set('evil.html', new Y.Text('<script>alert(1)</script>'))
    d.files.set('pic.svg', new Y.Text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))
    d.files.set('a.js', new Y.Text('alert(1)'))
    expect((await d.push()).status).toBe(200)
    for (const path of ['evil.html', 'pic.svg', 'a.js']) {
      const res = await d.http.get(`/api/projects/${id}/files/${path}`)
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  test('deleting a file removes it from the files view', async () => {
    const { id, device } = await project('node-script')
    const d = device()
    await d.pull()
    d.files.delete('lib/greet.js')
    expect((await d.push()).status).toBe(200)
    expect(Object.keys(await serverDigests(d.http, id))).not.toContain('lib/greet.js')
    expect((await d.http.get(`/api/projects/${id}/files/lib/greet.js`)).status).toBe(404)
  })

  test('pushing the same update twice changes nothing and stores nothing', async () => {
    const { id, device } = await project()
    const d = device()
    d.files.set('a.txt', new Y.Text('once'))
    const update = d.pendingUpdate()
    const first = await d.pushUpdate(update)
    const rows = await storedUpdateRows(id)
    const second = await d.pushUpdate(update)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual(await first.json())
    expect(await storedUpdateRows(id)).toBe(rows)
    const fresh = new SyncingDevice(d.http, id)
    await fresh.pull()
    expect(text(fresh, 'a.txt')).toBe('once')
  })

  test('a pull sends only what the device lacks', async () => {
    const { device } = await project('vite-react')
    const a = device()
    const b = device()
    await a.pull()
    await b.pull()
    ;(a.files.get('src/App.jsx') as Y.Text).insert(0, '// hi\n')
    await a.push()
    const res = await b.pull()
    expect((await res.arrayBuffer()).byteLength).toBeLessThan(200)
  })

  test('polling an unchanged project answers 304 with no body; any change (a deletion too) answers in full', async () => {
    const { id, device } = await project('node-script')
    const a = device()
    const b = device()
    await a.pull()
    await b.pull()
    const sv = () => Buffer.from(Y.encodeStateVector(b.doc)).toString('base64url')
    const first = await b.http.get(`/api/projects/${id}/sync?sv=${sv()}`)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]+"$/)
    const again = await b.http.get(`/api/projects/${id}/sync?sv=${sv()}`, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect((await again.arrayBuffer()).byteLength).toBe(0)
    expect(again.headers.get('x-slipway-state-vector')).toBe(first.headers.get('x-slipway-state-vector'))
    // A deletion leaves the state vector as it was, and still changes the answer.
    ;(a.files.get('index.js') as Y.Text).delete(0, 6)
    expect((await a.push()).status).toBe(200)
    const changed = await b.http.get(`/api/projects/${id}/sync?sv=${sv()}`, { 'if-none-match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    Y.applyUpdate(b.doc, new Uint8Array(await changed.arrayBuffer()))
    expect(text(b, 'index.js')).toBe(text(a, 'index.js'))
  })

  test('a push made right after a pull names the next answer: that poll is a 304, not the delete set again', async () => {
    const { id, device } = await project('node-script')
    const a = device()
    await a.pull()
    ;(a.files.get('index.js') as Y.Text).delete(0, 6) // a delete set for every later answer to carry
    await a.sync()
    const pulled = await a.pull()
    const version = pulled.headers.get('x-slipway-doc-version')!
    expect(version).toMatch(/^\d+$/)
    ;(a.files.get('index.js') as Y.Text).insert(0, '// edited\n')
    const pushed = await a.pushUpdate(a.pendingUpdate(), { 'x-slipway-doc-version': version })
    const body = (await pushed.json()) as { stateVector: string; etag?: string }
    expect(body.etag).toMatch(/^"[\w-]+"$/)
    const poll = await a.http.get(`/api/projects/${id}/sync?sv=${toBase64Url(Y.encodeStateVector(a.doc))}`, { 'if-none-match': body.etag! })
    expect(poll.status).toBe(304)
    expect(poll.headers.get('etag')).toBe(body.etag)
    // Without the version, the push names nothing (the client then downloads the answer once).
    ;(a.files.get('index.js') as Y.Text).insert(0, '!')
    expect(await (await a.pushUpdate(a.pendingUpdate())).json()).toEqual({ stateVector: expect.any(String) })
  })

  test('a deletion another device pushed between our pull and our push: no ETag, and our next poll brings it', async () => {
    const { id, device } = await project('node-script')
    const a = device()
    const b = device()
    await b.pull()
    const version = (await a.pull()).headers.get('x-slipway-doc-version')!
    // Only deletes: the state vector stays where a pulled it.
    ;(b.files.get('index.js') as Y.Text).delete(0, 6)
    expect((await b.push()).status).toBe(200)
    ;(a.files.get('index.js') as Y.Text).insert(0, '// a\n')
    const pushed = await a.pushUpdate(a.pendingUpdate(), { 'x-slipway-doc-version': version })
    expect(pushed.status).toBe(200)
    expect(((await pushed.json()) as { etag?: string }).etag).toBeUndefined()
    expect((await a.pull()).status).toBe(200)
    await b.pull()
    expect(text(a, 'index.js')).toBe(`// a\n${TEMPLATES['node-script'].files['index.js']!.slice(6)}`)
    expect(text(b, 'index.js')).toBe(text(a, 'index.js'))
  })

  test('a push with a doc version that is not a number → 400; nothing stored', async () => {
    const { id, device } = await project('node-script')
    const a = device()
    await a.pull()
    const rows = await storedUpdateRows(id)
    ;(a.files.get('index.js') as Y.Text).insert(0, 'x')
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(16), '']) {
      const res = await a.pushUpdate(a.pendingUpdate(), { 'x-slipway-doc-version': bad })
      expect(res.status).toBe(400)
      expect(await code(res)).toBe('bad_request')
    }
    expect(await storedUpdateRows(id)).toBe(rows)
  })

  test.each([
    ['a path with ..', '../escape.txt'],
    ['an absolute path', '/etc/passwd'],
    ['a NUL byte', 'a\u0000b'],
    ['node_modules', 'node_modules/x/index.js'],
    ['.env', '.env'],
    ['an over-long path', 'x'.repeat(513)],
  ])('an update with %s → 422 invalid_update naming the path; nothing stored', async (_n, badPath) => {
    const { id, device } = await project()
    const d = device()
    d.files.set('good.txt', new Y.Text('fine'))
    d.files.set(badPath, new Y.Text('bad'))
    const rows = await storedUpdateRows(id)
    const res = await d.push()
    expect(res.status).toBe(422)
    const body = ErrorBodySchema.parse(await res.json())
    expect(body.error.code).toBe('invalid_update')
    expect((body.error.details as { path: string }).path).toBe(badPath)
    expect(await storedUpdateRows(id)).toBe(rows)
    expect(await serverDigests(d.http, id)).toEqual({})
  })

  test('a file that is neither text nor bytes → 422', async () => {
    const { device } = await project()
    const d = device()
    d.files.set('weird', new Y.Map() as unknown as Y.Text)
    expect((await d.push()).status).toBe(422)
  })

  test('another root type in the doc → 422', async () => {
    const { device } = await project()
    const d = device()
    d.doc.getMap('sneaky').set('x', 1)
    expect((await d.push()).status).toBe(422)
  })

  test('garbage bytes or an empty body → 400 malformed_update; the doc is unchanged', async () => {
    const { id, device } = await project('node-script')
    const d = device()
    const before = await serverDigests(d.http, id)
    for (const body of [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), new TextEncoder().encode('{"hello":"world"}'), new Uint8Array([255, 255, 255, 255, 255])]) {
      const res = await d.pushUpdate(body)
      expect(res.status).toBe(400)
      expect(await code(res)).toBe('malformed_update')
    }
    const empty = await d.pushUpdate(new Uint8Array())
    expect(empty.status).toBe(400)
    expect(await code(empty)).toBe('malformed_update')
    expect(await serverDigests(d.http, id)).toEqual(before)
    // The server still works for this project afterwards.
    await d.pull()
    ;(d.files.get('index.js') as Y.Text).insert(0, '// ok\n')
    expect((await d.push()).status).toBe(200)
  })

  /// Everything the project's log holds, as one doc, for asserting what was stored.
  async function storedDoc(id: string) {
    const rows = await ctx.database.db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, id))
    const doc = new Y.Doc()
    for (const row of rows) Y.applyUpdate(doc, row.update)
    return { doc, rows: rows.length }
  }

  test('the nested-map attack (a chain of maps, then one key in each child map) → 422 at once; nothing stored', async () => {
    const { id, device } = await project('node-script')
    const d = device()
    await d.pull()
    const before = await storedDoc(id)
    // The review's shape at D = K = 3,000: a chain of D maps with K child maps at the bottom.
    // Inside a file's text, where the old check (on each file's top-level value) never looked.
    let bottom = new Y.Map<unknown>()
    ;(d.files.get('index.js') as Y.Text).insertEmbed(0, bottom)
    for (let i = 0; i < 3000; i++) {
      const next = new Y.Map<unknown>()
      bottom.set('m', next)
      bottom = next
    }
    for (let k = 0; k < 3000; k++) bottom.set(`c${k}`, new Y.Map())
    const started = performance.now()
    const res = await d.push()
    expect(res.status).toBe(422)
    expect(performance.now() - started).toBeLessThan(5000) // refused before Yjs builds anything (was minutes at 12,000)
    const body = ErrorBodySchema.parse(await res.json()).error
    expect(body.code).toBe('invalid_update')
    expect(body.message).toMatch(/Y\.Map|only text/)
    const after = await storedDoc(id)
    expect(after.rows).toBe(before.rows)
    expect(fileDigests(after.doc)).toEqual(fileDigests(before.doc))
  })

  test('embeds and formats are refused (422), so a 9 MB embed can never pass the size limits at 0 bytes', async () => {
    const { id, device } = await project('node-script')
    const d = device()
    await d.pull()
    const before = await storedDoc(id)
    const t = d.files.get('index.js') as Y.Text
    const base = Y.encodeStateVector(d.doc)
    t.insertEmbed(0, { blob: 'x'.repeat(9_400_000) })
    const embed = Y.encodeStateAsUpdate(d.doc, base)
    expect(embed.byteLength).toBeGreaterThan(9_000_000)
    const res = await d.pushUpdate(embed)
    expect(res.status).toBe(422)
    expect(await code(res)).toBe('invalid_update')
    const fresh = device()
    const f = fresh.doc.getMap(FILES_MAP)
    await fresh.pull()
    ;(f.get('index.js') as Y.Text).format(0, 3, { bold: true })
    expect((await fresh.push()).status).toBe(422)
    expect((await storedDoc(id)).rows).toBe(before.rows)
    // Listed sizes are the files' real bytes.
    const listed = ((await (await d.http.get(`/api/projects/${id}/files`)).json()) as { files: Array<{ path: string; size: number }> }).files
    expect(listed.find((x) => x.path === 'index.js')!.size).toBe(new TextEncoder().encode(TEMPLATES['node-script'].files['index.js']).byteLength)
  })

  test('another root type, or a value that is neither text nor bytes → 422; the doc gains nothing', async () => {
    const { id, device } = await project('node-script')
    for (const write of [
      (doc: Y.Doc) => doc.getText('notes').insert(0, 'x'),
      (doc: Y.Doc) => doc.getMap(FILES_MAP).set('a.json', { any: 1 }),
      (doc: Y.Doc) => (doc.getMap(FILES_MAP).get('index.js') as Y.Text).insertEmbed(0, new Y.Map()),
    ]) {
      const d = device()
      await d.pull()
      const sv = Y.encodeStateVector(d.doc)
      write(d.doc)
      const res = await d.pushUpdate(Y.encodeStateAsUpdate(d.doc, sv))
      expect(res.status).toBe(422)
      expect(await code(res)).toBe('invalid_update')
    }
    const { doc } = await storedDoc(id)
    expect([...doc.share.keys()]).toEqual([FILES_MAP])
  })

  test('a file over 5 MB → 413 naming it; nothing stored', async () => {
    const { id, device } = await project()
    const d = device()
    d.files.set('big.bin', new Uint8Array(LIMITS.maxFileBytes + 1))
    const res = await d.push()
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { details: { path: string } } }).error.details.path).toBe('big.bin')
    expect(await serverDigests(d.http, id)).toEqual({})
  })

  test('a push that takes the project past its byte limit → 413; the files and doc stay as they were', async () => {
    const { id, device, http } = await project()
    const d = device()
    // Files of 4 MB, two per push (each body under the update limit), until the next push would cross the limit.
    const fileBytes = 4 * 1024 * 1024
    const perPush = 2
    const pushesThatFit = Math.floor(LIMITS.maxProjectBytes / (fileBytes * perPush))
    let n = 0
    const pushFiles = () => {
      for (let k = 0; k < perPush; k++) d.files.set(`blob${n++}.bin`, new Uint8Array(fileBytes).fill(n))
      return d.push()
    }
    for (let i = 0; i < pushesThatFit; i++) expect((await pushFiles()).status).toBe(200)
    const before = await serverDigests(http, id)
    const res = await pushFiles()
    expect(res.status).toBe(413)
    expect(await code(res)).toBe('payload_too_large')
    expect(await serverDigests(http, id)).toEqual(before)
    // A server process that has not cached the project yet (it reads the view's sizes from the database) agrees.
    const cold = new TestClient(await testApp({ database: ctx.database }))
    cold.cookie = http.cookie
    const viaCold = new SyncingDevice(cold, id)
    await viaCold.pull()
    viaCold.files.set('one-more.bin', new Uint8Array(fileBytes))
    viaCold.files.set('and-another.bin', new Uint8Array(fileBytes))
    expect((await viaCold.push()).status).toBe(413)
    expect(await serverDigests(http, id)).toEqual(before)
    const fresh = new SyncingDevice(http, id)
    await fresh.pull()
    expect(fresh.files.size).toBe(pushesThatFit * perPush)
  }, 120_000)

  test('an update body over 10 MB → 413', async () => {
    const { device } = await project()
    const d = device()
    expect((await d.pushUpdate(new Uint8Array(LIMITS.maxUpdateBytes + 1))).status).toBe(413)
    // A declared length is checked before anything is read.
    const { http, id } = await project()
    const declared = (n: number) =>
      http.request('POST', `/api/projects/${id}/sync`, {
        body: new Uint8Array(n).fill(255),
        headers: { 'content-type': YJS_UPDATE_CONTENT_TYPE, 'content-length': String(n) },
      })
    expect((await declared(LIMITS.maxUpdateBytes + 1)).status).toBe(413)
    expect((await declared(3)).status).toBe(400) // within the limit: read, then rejected as not an update
  })

  test('a long edit history is compacted into one row and stays exactly the same doc', async () => {
    const { http, id, device } = await project('node-script')
    const d = device()
    await d.pull()
    const text = d.files.get('index.js') as Y.Text
    for (let i = 0; i < 140; i++) {
      text.insert(text.length, `// ${i}\n`)
      if (i % 7 === 0) text.delete(0, 1)
      expect((await d.push()).status).toBe(200)
    }
    // Compaction runs in the background once the pushes pause (a lull, about a second).
    const t0 = Date.now()
    while ((await storedUpdateRows(id)) >= 20 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50))
    await ctx.database.compactor.idle()
    expect(await storedUpdateRows(id)).toBeLessThan(20)
    const fresh = new SyncingDevice(http, id)
    await fresh.pull()
    expect(text.toString()).toBe((fresh.files.get('index.js') as Y.Text).toString())
    expect(fileDigests(fresh.doc)).toEqual(await serverDigests(http, id))
  })

  test('compactions running while devices keep pushing lose nothing and keep the log short', async () => {
    const { http, id } = await project('node-script')
    const devices = Array.from({ length: 4 }, () => new SyncingDevice(http, id))
    for (const d of devices) await d.pull()
    for (let round = 0; round < 80; round++) {
      await Promise.all(
        devices.map(async (d, k) => {
          const t = d.files.get('index.js') as Y.Text
          t.insert(0, `// device ${k} round ${round}\n`)
          if (round % 5 === 0) d.files.set(`dev${k}/r${round}.txt`, new Y.Text('x'.repeat(200 * (round + 1))))
          expect((await d.push()).status).toBe(200)
        }),
      )
      // Ask far more often than a push would, so compactions overlap pushes of every kind.
      if (round % 3 === 0) ctx.database.compactor.request(id)
    }
    await ctx.database.compactor.idle()
    expect(await storedUpdateRows(id)).toBeLessThanOrEqual(130)
    const fresh = new SyncingDevice(http, id)
    await fresh.pull()
    for (const d of devices) await d.pull()
    for (const d of devices) expect(fileDigests(d.doc)).toEqual(fileDigests(fresh.doc))
    expect(fileDigests(fresh.doc)).toEqual(await serverDigests(http, id))
    for (let k = 0; k < 4; k++) expect((fresh.files.get('index.js') as Y.Text).toString()).toContain(`// device ${k} round 79\n`)
  })

  test('a malformed sv → 400; the wrong content type → 415', async () => {
    const { id, http } = await project()
    expect((await http.get(`/api/projects/${id}/sync?sv=%%%`)).status).toBe(400)
    const res = await http.request('POST', `/api/projects/${id}/sync`, { body: new Uint8Array([0, 0]), headers: { 'content-type': 'application/octet-stream' } })
    expect(res.status).toBe(415)
  })

  test('concurrent pushes from many devices and two server processes lose nothing', async () => {
    const { http, id } = await project()
    // A second app over its own connection pool plays a second server process with its own doc cache.
    const second = ctx.target.driver === 'postgres' ? await openDatabase(ctx.target, MIGRATIONS) : ctx.database
    const otherApp = await testApp({ database: second })
    const devices = Array.from({ length: 8 }, (_, i) => {
      const viaOther = new TestClient(i % 2 ? otherApp : app)
      viaOther.cookie = http.cookie
      return new SyncingDevice(viaOther, id)
    })
    const perDevice = 12
    await Promise.all(
      devices.map(async (d, i) => {
        for (let n = 0; n < perDevice; n++) {
          const path = `dev${i}.txt`
          const t = (d.files.get(path) as Y.Text | undefined) ?? new Y.Text()
          if (!d.files.has(path)) d.files.set(path, t)
          t.insert(t.length, `<${i}:${n}>`)
          const res = await d.push()
          expect(res.status).toBe(200)
        }
      }),
    )
    const check = new SyncingDevice(http, id)
    await check.pull()
    for (let i = 0; i < devices.length; i++) {
      expect(text(check, `dev${i}.txt`)).toBe(Array.from({ length: perDevice }, (_, n) => `<${i}:${n}>`).join(''))
    }
    expect(fileDigests(check.doc)).toEqual(await serverDigests(http, id))
    if (second !== ctx.database) await second.close()
  })

  test('bursts of concurrent pushes to one project, bad ones among them, land every good one and reject each bad one alone', async () => {
    const { http, id } = await project()
    const devices = Array.from({ length: 6 }, () => new SyncingDevice(http, id))
    const garbage = new SyncingDevice(http, id)
    const tooBig = new SyncingDevice(http, id)
    tooBig.files.set('huge.bin', new Uint8Array(LIMITS.maxFileBytes + 1))
    for (let round = 0; round < 4; round++) {
      // All in flight at once: they queue behind one another's transactions and are merged into batches.
      const results = await Promise.all([
        ...devices.map((d, i) => {
          const path = `dev${i}.txt`
          const t = (d.files.get(path) as Y.Text | undefined) ?? new Y.Text()
          if (!d.files.has(path)) d.files.set(path, t)
          t.insert(t.length, `<${round}>`)
          return d.push().then((res) => res.status)
        }),
        garbage.pushUpdate(new Uint8Array([9, 9, 9, 9, 9, 9])).then((res) => res.status),
        tooBig.push().then((res) => res.status),
      ])
      expect(results).toEqual([200, 200, 200, 200, 200, 200, 400, 413])
    }
    const check = new SyncingDevice(http, id)
    await check.pull()
    for (let i = 0; i < devices.length; i++) expect(text(check, `dev${i}.txt`)).toBe('<0><1><2><3>')
    expect(check.files.has('huge.bin')).toBe(false)
    expect(fileDigests(check.doc)).toEqual(await serverDigests(http, id))
  }, 60_000)

  test('a files-view write that fails after the commit was sent rolls the whole push back and answers 500', async () => {
    const { http, id } = await project()
    const d = new SyncingDevice(http, id)
    d.files.set('ok.txt', new Y.Text('fine'))
    expect((await d.push()).status).toBe(200)
    const rowsBefore = await storedUpdateRows(id)
    // The database refuses one path, as a failing disk or constraint would: the upsert errors after the log append
    // has already run in the same transaction.
    await ctx.database.db.execute(sql`create or replace function refuse_boom() returns trigger language plpgsql as $$
      begin if new.path = 'boom.txt' then raise exception 'refused'; end if; return new; end $$`)
    await ctx.database.db.execute(sql`create trigger refuse_boom before insert or update on project_files for each row execute function refuse_boom()`)
    try {
      const bad = new SyncingDevice(http, id)
      await bad.pull()
      bad.files.set('boom.txt', new Y.Text('never stored'))
      ;(bad.files.get('ok.txt') as Y.Text).insert(0, 'lost with it: ')
      expect((await bad.push()).status).toBe(500)
      expect(await storedUpdateRows(id)).toBe(rowsBefore)
      const fresh = new SyncingDevice(http, id)
      await fresh.pull()
      expect([...fresh.files.keys()]).toEqual(['ok.txt'])
      expect(text(fresh, 'ok.txt')).toBe('fine')
      expect(fileDigests(fresh.doc)).toEqual(await serverDigests(http, id))
    } finally {
      await ctx.database.db.execute(sql`drop trigger refuse_boom on project_files`)
      await ctx.database.db.execute(sql`drop function refuse_boom()`)
    }
    // And the project takes pushes again, from the doc as committed.
    ;(d.files.get('ok.txt') as Y.Text).insert(4, '!')
    expect((await d.push()).status).toBe(200)
    const after = new SyncingDevice(http, id)
    await after.pull()
    expect(text(after, 'ok.txt')).toBe('fine!')
    expect(fileDigests(after.doc)).toEqual(await serverDigests(http, id))
  })

  test('convergence: 100 seeds of offline edits synced in shuffled order with duplicates and retries', async () => {
    const paths = ['a.txt', 'src/b.ts', 'src/deep/c.md', 'd.json']
    for (let seed = 1; seed <= 100; seed++) {
      const r = rng(seed)
      const { http, id } = await project(seed % 4 === 0 ? 'node-script' : undefined)
      const devices = Array.from({ length: 2 + r.int(3) }, () => new SyncingDevice(http, id))
      for (const d of devices) await d.pull()
      const sent: Uint8Array[] = []
      const edit = (d: SyncingDevice) => {
        for (let k = 1 + r.int(6); k > 0; k--) {
          const path = r.pick(paths)
          const existing = d.files.get(path)
          const op = r.int(10)
          if (existing instanceof Y.Text && op < 6) {
            if (op < 4 || existing.length === 0) existing.insert(r.int(existing.length + 1), `[${seed}.${r.int(1e6)}]`)
            else existing.delete(r.int(existing.length), 1 + r.int(5))
          } else if (op < 8) d.files.set(path, new Y.Text(`new ${r.int(1e6)}\n`))
          else if (op < 9) d.files.delete(path)
          else d.files.set(path, Uint8Array.from({ length: 1 + r.int(16) }, () => r.int(256)))
        }
      }
      // Rounds of offline edits, then syncs in shuffled order; some pushes are repeated (a lost ack) and some
      // pulls happen before pushes.
      for (let round = 0; round < 3; round++) {
        for (const d of devices) if (r.next() < 0.8) edit(d)
        const plan = r.shuffle(devices.flatMap((d) => [d, ...(r.next() < 0.3 ? [d] : [])]))
        for (const d of plan) {
          if (r.next() < 0.3) await d.pull()
          const update = d.pendingUpdate()
          sent.push(update)
          const res = await d.pushUpdate(update)
          expect(res.status, `seed ${seed}`).toBe(200)
          if (r.next() < 0.2) expect((await d.pushUpdate(update)).status).toBe(200)
        }
      }
      for (const d of devices) await d.sync()
      for (const d of devices) await d.pull()
      const expected = new Y.Doc()
      Y.applyUpdate(expected, Y.mergeUpdates(devices.map((d) => Y.encodeStateAsUpdate(d.doc))))
      const want = fileDigests(expected)
      for (const d of devices) expect(fileDigests(d.doc), `seed ${seed}`).toEqual(want)
      expect(await serverDigests(http, id), `seed ${seed}`).toEqual(want)
      const fresh = new SyncingDevice(http, id)
      await fresh.pull()
      expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(expected))
      expect(fresh.files.size).toBe(expected.getMap(FILES_MAP).size)
    }
  }, 180_000)
})
