import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import {
  FILES_MAP,
  LIMITS,
  SHARE_LIMITS,
  checkProjectPath,
  encodePack,
  findSecrets,
  fromBase64Url,
  isLinkId,
  packSize,
  parseVersionNumber,
  sharePagePath,
} from '@slipway/shared'
import type { ForkedFrom, OmittedReason, PublishResponse, SecretFinding, ShareLink, ShareManifest } from '@slipway/shared'
import * as Y from 'yjs'
import type { Clock, FoundShareLink, ProjectRecord, RateLimiter, ShareBlob, ShareLinkRecord, ShareRepo, ShareVersionRecord } from '../ports.ts'
import { DomainError } from './errors.ts'
import { quotaExceeded } from './projects.ts'
import type { ProjectService } from './projects.ts'
import { checkStorage } from './quotas.ts'
import type { Quotas } from './quotas.ts'
import { decodeManifest, encodeManifest } from './share-manifest.ts'
import type { ManifestEntry } from './share-manifest.ts'
import { DEFAULT_SHARE_CACHE, ShareCache, packStream } from './share-cache.ts'
import type { ShareCacheOptions } from './share-cache.ts'
import { BatchedRateLimiter, SHARE_RATES } from './share-rates.ts'
import { ViewCounter } from './share-views.ts'
import type { ShareRates } from './share-rates.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const hashLinkId = (id: string) => createHash('sha256').update(id).digest('hex')

/// A new link id: 22 base64url characters from 17 random bytes (132 bits).
export const newLinkId = () => randomBytes(17).toString('base64url').slice(0, 22)

/// Seals link ids for the owner's list with AES-256-GCM: a copy of the `share_links` table alone opens no link.
export class LinkSealer {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new RangeError(`The share key must be 32 bytes (got ${key.length})`)
  }
  seal(id: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
  }
  /// `undefined` if the sealed text was not sealed with this key.
  open(sealed: string): string | undefined {
    try {
      const raw = Buffer.from(sealed, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    } catch {
      return undefined
    }
  }
}

const notFound = () => new DomainError('not_found', 'Share link not found')
const revoked = () => new DomainError('link_revoked', 'This link was revoked')

/// What the share page (`/s/<id>`) shows: the project's name for a live link, else why not.
export type SharePageState = { ok: true; projectName: string } | { ok: false; code: 'not_found' | 'link_revoked' }

/// What publishing reads from the project doc: a pure step, easy to test.
export interface Snapshot {
  files: Array<ManifestEntry & { content: Uint8Array }>
  omitted: Array<{ path: string; reason: OmittedReason }>
  secrets: SecretFinding[]
}

/// Whether `doc` holds everything a client with state vector `clientSv` has seen.
export function docCovers(doc: Y.Doc, clientSv: Map<number, number>): boolean {
  const server = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const [client, clock] of clientSv) if ((server.get(client) ?? 0) < clock) return false
  return true
}

/// The files of a project doc as a share version holds them: never-shared paths and oversized files left out (and
/// named), text files scanned for secrets. Paths sorted.
export function snapshotDoc(doc: Y.Doc): Snapshot {
  const map = doc.getMap(FILES_MAP)
  const out: Snapshot = { files: [], omitted: [], secrets: [] }
  const paths = [...map.keys()].sort()
  for (const path of paths) {
    const value = map.get(path)
    let content: Uint8Array
    let binary: boolean
    if (value instanceof Y.Text) {
      const text = value.toString()
      content = encoder.encode(text)
      binary = false
      if (content.length <= LIMITS.maxFileBytes) for (const hit of findSecrets(text)) out.secrets.push({ path, ...hit })
    } else if (value instanceof Uint8Array) {
      content = value
      binary = true
    } else continue
    if (!checkProjectPath(path).ok) out.omitted.push({ path, reason: 'ignored' })
    else if (content.length > LIMITS.maxFileBytes) out.omitted.push({ path, reason: 'too_large' })
    else out.files.push({ path, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), binary, content })
  }
  // A secret in a file that is left out anyway does not block the publish.
  const kept = new Set(out.files.map((f) => f.path))
  out.secrets = out.secrets.filter((s) => kept.has(s.path))
  return out
}

/// A decoded version, as every read of it needs it (cached: versions never change).
interface VersionView {
  record: ShareVersionRecord
  entries: ManifestEntry[]
  /// The manifest's `files` as JSON, and a digest of it for ETags.
  filesJson: string
  digest: string
  /// The version's blobs, each once, in the order of the manifest's first use of it (the pack's order).
  blobs: Array<{ sha256: string; size: number }>
  packBytes: number
}

/// A manifest response as sent: its body (UTF-8 JSON) and ETag.
interface ManifestResponse {
  body: Uint8Array
  etag: string
}

export interface ShareServiceOptions {
  quotas: Quotas
  publicUrl: URL
  rates?: Partial<ShareRates>
  /// Bytes of decoded versions, manifest responses and packs kept per process, in total and per value.
  cache?: Partial<ShareCacheOptions>
  viewFlushMs?: number
  /// How often per-client read counts are added to the shared counters.
  readFlushMs?: number
  onError?: (err: unknown) => void
}

/// Share links: publish immutable versions of a project from the doc the server stores, serve them to anyone with
/// the link id, revoke, fork. Someone else's project, a malformed id and an unknown link all answer `not_found`; a
/// revoked link (or one whose project was deleted) answers `link_revoked` on every route.
export class ShareService {
  private readonly cache: ShareCache
  private readonly views: ViewCounter
  private readonly reads: BatchedRateLimiter
  private readonly rates: ShareRates
  /// Link ids as read by `liveLink`, to their hashes (a hash per request was a tenth of a manifest's time).
  private readonly idHashes = new Map<string, string>()

  constructor(
    private readonly repo: ShareRepo,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly sealer: LinkSealer,
    private readonly docs: { readCommitted<T>(projectId: string, fn: (doc: Y.Doc) => T): Promise<T> },
    private readonly projects: ProjectService,
    private readonly options: ShareServiceOptions,
  ) {
    this.rates = { ...SHARE_RATES, ...options.rates }
    this.cache = new ShareCache({ ...DEFAULT_SHARE_CACHE, ...options.cache })
    this.views = new ViewCounter(repo, options.viewFlushMs ?? 2000, options.onError ?? (() => {}))
    this.reads = new BatchedRateLimiter(limiter, clock, { flushMs: options.readFlushMs ?? 1000, slack: 1 / 16, maxKeys: 20_000, onError: options.onError ?? (() => {}) })
  }

  // ---- owner routes ----

  /// Publishes the project's stored doc as version 1 of a new link (`linkId` undefined) or the next version of one.
  async publish(ownerId: string, project: ProjectRecord, linkId: string | undefined, stateVector: string): Promise<PublishResponse> {
    let existing: ShareLinkRecord | undefined
    if (linkId !== undefined) {
      existing = isLinkId(linkId) ? await this.repo.findLink(hashLinkId(linkId)) : undefined
      if (!existing || existing.ownerId !== ownerId || (existing.projectId !== project.id && existing.projectId !== null)) throw notFound()
      if (existing.revokedAt || existing.projectId === null) throw revoked()
    }
    await this.takeExact(`share:publish:${ownerId}`, this.rates.publishPerUser)
    const sv = fromBase64Url(stateVector)
    let clientSv: Map<number, number>
    try {
      if (!sv) throw new Error('not base64url')
      clientSv = Y.decodeStateVector(sv)
    } catch {
      throw new DomainError('bad_request', 'stateVector is not a base64url Yjs state vector')
    }
    const snap = await this.docs.readCommitted(project.id, (doc) => {
      if (!docCovers(doc, clientSv)) return undefined
      return snapshotDoc(doc)
    })
    if (!snap) throw new DomainError('publish_stale', 'The server has not received every edit this editor holds yet: sync, then publish again')
    if (snap.secrets.length) {
      throw new DomainError('secrets_found', `${new Set(snap.secrets.map((s) => s.path)).size} file(s) look like they hold secrets; remove them and publish again`, {
        files: snap.secrets.slice(0, SHARE_LIMITS.maxSecretFindings),
        total: snap.secrets.length,
      })
    }
    if (snap.files.length > SHARE_LIMITS.maxFiles) throw new DomainError('limit_exceeded', `A version holds at most ${SHARE_LIMITS.maxFiles} files`)
    const bytes = snap.files.reduce((n, f) => n + f.size, 0)
    if (bytes > SHARE_LIMITS.maxVersionBytes) throw new DomainError('limit_exceeded', `A version holds at most ${SHARE_LIMITS.maxVersionBytes} bytes`)
    const blobs = new Map<string, ShareBlob>()
    for (const f of snap.files) blobs.set(f.sha256, { sha256: f.sha256, binary: f.binary, content: f.content })
    const newId = linkId === undefined ? newLinkId() : undefined
    const outcome = await this.repo.publish({
      ownerId,
      projectId: project.id,
      projectName: project.name,
      link: newId ? { kind: 'new', pk: crypto.randomUUID(), idHash: hashLinkId(newId), idSealed: this.sealer.seal(newId) } : { kind: 'existing', pk: existing!.pk },
      now: this.clock.now(),
      manifest: encodeManifest(snap.files),
      fileCount: snap.files.length,
      bytes,
      blobs: [...blobs.values()],
      maxLinksPerProject: SHARE_LIMITS.maxLinksPerProject,
      maxVersionsPerLink: SHARE_LIMITS.maxVersionsPerLink,
      admit: (stored, adding) => checkStorage({ projectLogBytes: 0, userBytes: stored.userBytes }, { bytes: adding, deletesOnly: false }, this.options.quotas),
    })
    if (!outcome.ok) {
      if (outcome.reason === 'quota') throw quotaExceeded(outcome.verdict)
      if (outcome.reason === 'revoked') throw revoked()
      if (outcome.reason === 'not_found') throw notFound()
      if (outcome.reason === 'too_many_links') throw new DomainError('limit_exceeded', `A project has at most ${SHARE_LIMITS.maxLinksPerProject} share links`)
      throw new DomainError('limit_exceeded', `A link holds at most ${SHARE_LIMITS.maxVersionsPerLink} versions; create a new link`)
    }
    const links = await this.list(ownerId, project.id)
    const link = links.find((l) => l.id === (newId ?? linkId))
    if (!link) throw new Error('A published link is missing from its project list')
    return { link, version: { ...this.versionWire(outcome.version), omitted: snap.omitted } }
  }

  /// The project's links, newest first (views counted by this process are written first).
  async list(ownerId: string, projectId: string): Promise<ShareLink[]> {
    await this.views.flush()
    const rows = await this.repo.listLinks(ownerId, projectId)
    const out: ShareLink[] = []
    for (const { link, idSealed, versions } of rows) {
      const id = this.sealer.open(idSealed)
      if (!id) continue // sealed under another key (SLIPWAY_SHARE_KEY changed): it can no longer be shown
      out.push(this.linkWire(id, link, versions))
    }
    return out
  }

  async revoke(ownerId: string, projectId: string, linkId: string): Promise<ShareLink> {
    const link = isLinkId(linkId) ? await this.repo.revoke(ownerId, projectId, hashLinkId(linkId), this.clock.now()) : undefined
    if (!link) throw notFound()
    const listed = (await this.list(ownerId, projectId)).find((l) => l.id === linkId)
    if (!listed) throw notFound()
    return listed
  }

  /// Frees blobs of the owner's revoked links (after a revoke or a project delete); errors are reported, not thrown.
  purgeLater(ownerId: string): void {
    void this.repo.purge(ownerId).catch((err: unknown) => this.options.onError?.(err))
  }

  // ---- anyone with the id ----

  /// The manifest of version `n` (`null`: the latest) and its ETag; no body when `ifNoneMatch` is that ETag (a 304).
  /// Counts a view, a read and the bytes sent.
  async manifest(linkIdText: string, versionText: string | null, client: string, ifNoneMatch?: string): Promise<{ body: Uint8Array | null; etag: string }> {
    await this.takeRead(client)
    const link = await this.liveLink(linkIdText)
    const n = versionText === null ? link.latest : parseVersionNumber(versionText)
    if (n === undefined || n > link.latest) throw notFound()
    // The response names the link's latest version (and its project's name, which a publish sets) and the owner's
    // display name as of now (read with the link, whose cached copies a rename drops): keyed by both, and both are
    // in the ETag, so a rename answers 200 with the new name where a viewer's copy had the old one.
    const key = `m:${link.pk}:${n}:${link.latest}:${JSON.stringify(link.ownerName)}`
    const response = await this.cache.get<ManifestResponse>(key, async () => {
      const view = await this.version(link, n)
      const head: ShareManifest['link'] = { id: linkIdText, projectName: link.projectName, owner: link.ownerName, latest: link.latest }
      const etag = `"${createHash('sha256').update(view.digest).update(JSON.stringify(head)).digest('base64url').slice(0, 27)}"`
      const body = encoder.encode(`{"link":${JSON.stringify(head)},"version":{"n":${n},"createdAt":${JSON.stringify(view.record.createdAt.toISOString())},"files":${view.filesJson}}}`)
      return { value: { body, etag }, bytes: body.byteLength + etag.length }
    })
    this.views.add(link.pk, this.clock.now())
    if (ifNoneMatch === response.etag) return { body: null, etag: response.etag }
    await this.spend(client, response.body.byteLength)
    return response
  }

  async blob(linkIdText: string, sha256: string, client: string): Promise<Uint8Array> {
    await this.takeRead(client)
    const link = await this.liveLink(linkIdText)
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw notFound()
    await this.spend(client, 0)
    const bytes = await this.repo.readLinkBlob(link, sha256)
    if (!bytes) throw notFound()
    await this.spend(client, bytes.byteLength)
    return bytes
  }

  /// Every blob of version `n` in one response: built once and cached when it fits the cache's per-value bound,
  /// streamed from the database a batch at a time otherwise. Its bytes are counted against the client's budget
  /// before anything is read.
  async pack(linkIdText: string, versionText: string, client: string): Promise<{ body: Uint8Array | ReadableStream<Uint8Array>; bytes: number }> {
    await this.takeRead(client)
    const link = await this.liveLink(linkIdText)
    const n = parseVersionNumber(versionText)
    if (n === undefined || n > link.latest) throw notFound()
    const view = await this.version(link, n)
    await this.spend(client, view.packBytes)
    const read = (sha256s: string[]) => this.repo.readBlobs(link.ownerId, sha256s)
    if (view.packBytes > this.cache.options.maxEntryBytes) return { body: packStream(view.blobs, read), bytes: view.packBytes }
    const body = await this.cache.get<Uint8Array>(`p:${link.pk}:${n}`, async () => {
      const blobs = await read(view.blobs.map((b) => b.sha256))
      const pack = encodePack(view.blobs.map(({ sha256 }) => ({ sha256, bytes: blobs.get(sha256) ?? missingBlob(sha256) })))
      return { value: pack, bytes: pack.byteLength }
    })
    return { body, bytes: body.byteLength }
  }

  /// Bytes and entries the read cache holds now.
  cacheStats() {
    return this.cache.stats
  }

  /// Copies version `n` into a new project of `userId`'s.
  async fork(userId: string, linkIdText: string, versionText: string): Promise<ProjectRecord> {
    const link = await this.liveLink(linkIdText)
    const n = parseVersionNumber(versionText)
    if (n === undefined || n > link.latest) throw notFound()
    await this.takeExact(`share:fork:${userId}`, this.rates.forkPerUser)
    const view = await this.version(link, n)
    const blobs = await this.repo.readBlobs(link.ownerId, [...new Set(view.entries.map((e) => e.sha256))])
    const files = view.entries.map((e) => {
      const bytes = blobs.get(e.sha256) ?? missingBlob(e.sha256)
      // A plain Uint8Array: Yjs stores binary content only of exactly that class (a driver may hand out Buffers).
      return { path: e.path, content: e.binary ? new Uint8Array(bytes) : decoder.decode(bytes) }
    })
    return this.projects.createFromFiles(userId, link.projectName, files, { linkId: linkIdText, version: n, projectName: link.projectName })
  }

  /// What a client's claim "this project was forked from `claim`" is worth: the link version with its project's name
  /// if the link is live and has that version, `null` otherwise (unknown, revoked, no such version, malformed). Never
  /// throws, so a caller cannot tell these apart beyond what the link id's holder can read anyway.
  async forkSource(claim: ForkedFrom): Promise<ForkedFrom | null> {
    if (!isLinkId(claim.linkId)) return null
    const link = await this.repo.findLink(hashLinkId(claim.linkId))
    if (!link || link.revokedAt || link.projectId === null) return null
    if (!Number.isInteger(claim.version) || claim.version < 1 || claim.version > link.latest) return null
    return { linkId: claim.linkId, version: claim.version, projectName: link.projectName }
  }

  // ---- helpers ----

  /// The link of a well-formed id if it exists and is live; 404 / 410 otherwise. Read from the database on every
  /// request: a revoke takes effect at once in every process.
  private async liveLink(linkIdText: string): Promise<FoundShareLink> {
    if (!isLinkId(linkIdText)) throw notFound()
    let idHash = this.idHashes.get(linkIdText)
    if (idHash === undefined) {
      idHash = hashLinkId(linkIdText)
      if (this.idHashes.size >= 10_000) this.idHashes.clear()
      this.idHashes.set(linkIdText, idHash)
    }
    const link = await this.repo.findLink(idHash)
    if (!link) throw notFound()
    if (link.revokedAt || link.projectId === null) throw revoked()
    if (link.latest < 1) throw notFound()
    return link
  }

  private version(link: ShareLinkRecord, n: number): Promise<VersionView> {
    return this.cache.get(`v:${link.pk}:${n}`, async () => {
      const row = await this.repo.readVersion(link.pk, n)
      if (!row || row.manifest.length === 0) throw notFound()
      const entries = decodeManifest(row.manifest)
      const filesJson = JSON.stringify(entries.map((e) => ({ path: e.path, size: e.size, sha256: e.sha256, binary: e.binary })))
      const sizes = new Map<string, number>()
      for (const e of entries) if (!sizes.has(e.sha256)) sizes.set(e.sha256, e.size)
      const blobs = [...sizes].map(([sha256, size]) => ({ sha256, size }))
      const view: VersionView = {
        record: { n: row.n, createdAt: row.createdAt, fileCount: row.fileCount, bytes: row.bytes },
        entries,
        filesJson,
        digest: createHash('sha256').update(filesJson).update(row.createdAt.toISOString()).digest('base64url'),
        blobs,
        packBytes: packSize(blobs.map((b) => b.size)),
      }
      // The JSON, and the decoded entries (objects and strings, ~2× the JSON).
      return { value: view, bytes: filesJson.length * 3 }
    })
  }

  /// Counts a read of `client`'s, refused once they spent their reads of this window.
  private async takeRead(client: string) {
    const reads = await this.reads.take({ key: `share:read:${client}`, ...this.rates.readsPerClient })
    if (!reads.allowed) throw rateLimited(reads.retryAfterMs)
  }

  /// Counts `bytes` about to be sent to `client`, refused once they spent their bytes of this window (0: checks
  /// only). Every response with a body spends before it is sent; a pack before it is read.
  private async spend(client: string, bytes: number) {
    const decision = await this.reads.take({ key: `share:bytes:${client}`, ...this.rates.readBytesPerClient }, bytes)
    if (!decision.allowed) throw rateLimited(decision.retryAfterMs)
  }

  private async takeExact(key: string, rule: { limit: number; windowMs: number }) {
    const decision = await this.limiter.take([{ key, ...rule }], this.clock.now())
    if (!decision.allowed) throw rateLimited(decision.retryAfterMs)
  }

  private versionWire(v: ShareVersionRecord) {
    return { n: v.n, createdAt: v.createdAt.toISOString(), fileCount: v.fileCount, bytes: v.bytes }
  }

  private linkWire(id: string, link: ShareLinkRecord, versions: ShareVersionRecord[]): ShareLink {
    return {
      id,
      url: new URL(sharePagePath(id), this.options.publicUrl).toString(),
      createdAt: link.createdAt.toISOString(),
      revokedAt: (link.revokedAt ?? (link.projectId === null ? link.createdAt : null))?.toISOString() ?? null,
      versions: versions.map((v) => this.versionWire(v)),
      viewCount: link.viewCount,
      lastViewedAt: link.lastViewedAt?.toISOString() ?? null,
    }
  }

  /// The link's state for the share page (`/s/<id>`): its project's name when live.
  async pageState(linkIdText: string, version: number | null = null): Promise<SharePageState> {
    try {
      const link = await this.liveLink(linkIdText)
      // A pinned version past the latest is not found, like its manifest (versions are never deleted).
      if (version !== null && version > link.latest) return { ok: false, code: 'not_found' }
      return { ok: true, projectName: link.projectName }
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, code: err.code === 'link_revoked' ? 'link_revoked' : 'not_found' }
      throw err
    }
  }
}

function rateLimited(retryAfterMs: number) {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new DomainError('rate_limited', `Too many requests; try again in ${retryAfter} s`, { retryAfter })
}

function missingBlob(sha256: string): never {
  throw new Error(`Share blob ${sha256} is listed by a version but not stored`)
}
