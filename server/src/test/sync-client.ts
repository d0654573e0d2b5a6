import { createHash } from 'node:crypto'
import { FILES_MAP, STATE_VECTOR_HEADER, YJS_UPDATE_CONTENT_TYPE, fromBase64Url, toBase64Url } from '@slipway/shared'
import * as Y from 'yjs'
import type { TestClient } from './app.ts'

/// A device editing one project: its own Y.Doc and what it last knew of the server's state vector, syncing the
/// way the web client does (push the diff the server lacks, pull the diff it lacks).
export class SyncingDevice {
  readonly doc = new Y.Doc()
  serverSv: Uint8Array = new Uint8Array([0])

  constructor(
    readonly http: TestClient,
    readonly projectId: string,
  ) {}

  get files() {
    return this.doc.getMap<Y.Text | Uint8Array>(FILES_MAP)
  }

  /// The update a push would send now.
  pendingUpdate(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, this.serverSv)
  }

  async pushUpdate(update: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.http.request('POST', `/api/projects/${this.projectId}/sync`, {
      body: update,
      headers: { 'content-type': YJS_UPDATE_CONTENT_TYPE, ...headers },
    })
    if (res.status === 200) {
      const body = (await res.clone().json()) as { stateVector: string }
      this.serverSv = fromBase64Url(body.stateVector)!
    }
    return res
  }

  push(): Promise<Response> {
    return this.pushUpdate(this.pendingUpdate())
  }

  async pull(): Promise<Response> {
    const sv = toBase64Url(Y.encodeStateVector(this.doc))
    const res = await this.http.get(`/api/projects/${this.projectId}/sync?sv=${sv}`)
    if (res.status === 200) {
      Y.applyUpdate(this.doc, new Uint8Array(await res.clone().arrayBuffer()), 'server')
      this.serverSv = fromBase64Url(res.headers.get(STATE_VECTOR_HEADER)!)!
    }
    return res
  }

  async sync(): Promise<void> {
    const pushed = await this.push()
    if (pushed.status !== 200) throw new Error(`push failed: ${pushed.status} ${await pushed.text()}`)
    const pulled = await this.pull()
    if (pulled.status !== 200) throw new Error(`pull failed: ${pulled.status}`)
  }
}

const encoder = new TextEncoder()

/// path → sha256 of the file's bytes, as the server's file listing reports them.
export function fileDigests(doc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, value] of doc.getMap<Y.Text | Uint8Array>(FILES_MAP).entries()) {
    const bytes = value instanceof Y.Text ? encoder.encode(value.toString()) : value
    out[path] = createHash('sha256').update(bytes).digest('hex')
  }
  return out
}

export async function serverDigests(http: TestClient, projectId: string): Promise<Record<string, string>> {
  const res = await http.get(`/api/projects/${projectId}/files`)
  const { files } = (await res.json()) as { files: Array<{ path: string; sha256: string }> }
  return Object.fromEntries(files.map((f) => [f.path, f.sha256]))
}

/// Small seeded PRNG (mulberry32), so every property-test case can be replayed from its seed.
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    shuffle: <T>(xs: T[]): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
      }
      return xs
    },
  }
}
