import {
  AuthResponseSchema,
  DOC_VERSION_HEADER,
  DOC_VERSION_PATTERN,
  ErrorBodySchema,
  FileListSchema,
  JSON_CONTENT_TYPE,
  ProjectListSchema,
  PACK_CONTENT_TYPE,
  ProjectResponseSchema,
  PublishResponseSchema,
  SHARE_API,
  STATE_VECTOR_HEADER,
  ShareListSchema,
  ShareManifestSchema,
  SyncPushResponseSchema,
  YJS_UPDATE_CONTENT_TYPE,
  fromBase64Url,
  toBase64Url,
} from '@slipway/shared'
import type { ErrorCode, ForkedFrom, Project, TemplateId, UpdateMe, User } from '@slipway/shared'
import type { z } from 'zod'
import type { FetchLike } from './health.ts'
import { readBounded } from './readBounded.ts'
import type { BoundedBody } from './readBounded.ts'

/// A download stopped for passing its byte bound.
export type TooLarge = Extract<BoundedBody, { ok: false }>

/// An API answer: the value, or what went wrong in a form the UI can show. Nothing here throws.
export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'http'; status: number; code: ErrorCode | 'unknown'; message: string; details?: unknown }
  | { ok: false; kind: 'network'; message: string }

/// A sync push's answer: the server's state vector after the merge, and the ETag of the pushing client's next pull
/// when the server could tell the client now holds the whole doc.
export interface PushAnswer {
  stateVector: Uint8Array
  etag?: string
}

/// A sync pull's answer (`update` is empty when `notModified`).
export interface PullAnswer {
  update: Uint8Array
  stateVector: Uint8Array
  etag?: string
  /// The doc version the answer was made from, to send with the next push.
  version?: number
  notModified?: boolean
}

/// The HTTP API of the Slipway server, validated with the shared schemas.
export class ApiClient {
  constructor(private readonly fetchFn: FetchLike) {}

  me = () => this.json('GET', '/api/auth/me', undefined, AuthResponseSchema, (b) => b.user)
  signup = (email: string, password: string) => this.json('POST', '/api/auth/signup', { email, password }, AuthResponseSchema, (b) => b.user)
  login = (email: string, password: string) => this.json('POST', '/api/auth/login', { email, password }, AuthResponseSchema, (b) => b.user)
  logout = () => this.json('POST', '/api/auth/logout', {}, undefined, () => undefined)
  /// Changes the signed-in user's account (today: their display name, `null` to clear it).
  updateMe = (change: UpdateMe) => this.json('PATCH', '/api/auth/me', change, AuthResponseSchema, (b) => b.user)
  listProjects = () => this.json('GET', '/api/projects', undefined, ProjectListSchema, (b) => b.projects)
  getProject = (id: string) => this.json('GET', `/api/projects/${encodeURIComponent(id)}`, undefined, ProjectResponseSchema, (b) => b.project)
  createProject = (name: string, template?: TemplateId, forkedFrom?: ForkedFrom) =>
    this.json('POST', '/api/projects', { name, ...(template ? { template } : {}), ...(forkedFrom ? { forkedFrom } : {}) }, ProjectResponseSchema, (b) => b.project)
  renameProject = (id: string, name: string) =>
    this.json('PATCH', `/api/projects/${encodeURIComponent(id)}`, { name }, ProjectResponseSchema, (b) => b.project)
  deleteProject = (id: string) => this.json('DELETE', `/api/projects/${encodeURIComponent(id)}`, {}, undefined, () => undefined)
  /// The server's materialized file list of a project (path, size, hash of each file).
  listFiles = (id: string) => this.json('GET', `/api/projects/${encodeURIComponent(id)}/files`, undefined, FileListSchema, (b) => b.files)

  /// The project's share links (owner only), newest first.
  listShares = (projectId: string) => this.json('GET', SHARE_API.projectShares(projectId), undefined, ShareListSchema, (b) => b.links)
  /// Publishes the project as the server stores it: a new link with version 1, or the next version of `linkId`.
  /// `stateVector` (base64url) is the editor doc's; a server lacking some of it answers 409 `publish_stale`.
  publishShare = (projectId: string, stateVector: string, linkId?: string) =>
    this.json('POST', linkId ? SHARE_API.linkVersions(projectId, linkId) : SHARE_API.projectShares(projectId), { stateVector }, PublishResponseSchema, (b) => b)
  /// Revokes a link: from then on every request for it answers 410.
  revokeShare = (projectId: string, linkId: string) => this.json('DELETE', SHARE_API.projectShare(projectId, linkId), {}, undefined, () => undefined)

  // --- Share links, as a viewer sees them (anyone with the link id).

  /// The manifest of a shared version (`null`: the link's latest).
  shareManifest = (linkId: string, version: number | null, signal?: AbortSignal) =>
    this.json('GET', SHARE_API.manifest(linkId, version), undefined, ShareManifestSchema, (b) => b, signal)
  /// Copies a shared version into a new project of the signed-in user's.
  forkShare = (linkId: string, version: number) => this.json('POST', SHARE_API.fork(linkId, version), {}, ProjectResponseSchema, (b) => b.project)

  /// Every blob of a shared version in one response (the pack format; immutable, so the browser may cache it).
  /// The body is read against `maxBytes` while it streams, and the download is cancelled as soon as it is passed.
  async sharePack(linkId: string, version: number, maxBytes: number, signal?: AbortSignal): Promise<ApiResult<Uint8Array> | TooLarge> {
    const res = await this.send(SHARE_API.pack(linkId, version), { headers: { accept: PACK_CONTENT_TYPE }, ...(signal ? { signal } : {}) })
    if (!res.ok) return res
    try {
      const body = await readBounded(res.value, maxBytes)
      return body.ok ? { ok: true, value: body.bytes } : body
    } catch (err) {
      return { ok: false, kind: 'network', message: err instanceof Error ? err.message : String(err) }
    }
  }

  /// Sends a Yjs update; answers the server's state vector after the merge. With `version` (the doc version of the
  /// last pull this client applied), the answer may carry the ETag of the next pull's answer (see
  /// `SyncPushResponseSchema`).
  async push(id: string, update: Uint8Array, version?: number): Promise<ApiResult<PushAnswer>> {
    const headers: Record<string, string> = { 'content-type': YJS_UPDATE_CONTENT_TYPE, accept: JSON_CONTENT_TYPE }
    if (version !== undefined) headers[DOC_VERSION_HEADER] = String(version)
    const res = await this.send(`/api/projects/${encodeURIComponent(id)}/sync`, {
      method: 'POST',
      headers,
      body: update as Uint8Array<ArrayBuffer>,
    })
    if (!res.ok) return res
    const body = await parse(res.value, SyncPushResponseSchema)
    if (!body.ok) return body
    const sv = fromBase64Url(body.value.stateVector)
    if (!sv) return { ok: false, kind: 'http', status: 200, code: 'unknown', message: 'bad state vector' }
    return { ok: true, value: body.value.etag ? { stateVector: sv, etag: body.value.etag } : { stateVector: sv } }
  }

  /// What the server has that a client holding `stateVector` lacks, the server's state vector and the doc version
  /// the answer was made from. With `etag` (from the last answer), an unchanged answer comes back as `notModified`
  /// with an empty update and no body on the wire.
  async pull(id: string, stateVector: Uint8Array, etag?: string): Promise<ApiResult<PullAnswer>> {
    const headers: Record<string, string> = { accept: YJS_UPDATE_CONTENT_TYPE }
    if (etag) headers['if-none-match'] = etag
    const res = await this.send(`/api/projects/${encodeURIComponent(id)}/sync?sv=${toBase64Url(stateVector)}`, { headers }, [304])
    if (!res.ok) return res
    const sv = fromBase64Url(res.value.headers.get(STATE_VECTOR_HEADER) ?? '')
    if (!sv) return { ok: false, kind: 'http', status: 200, code: 'unknown', message: 'missing state vector' }
    const answer: PullAnswer = { update: new Uint8Array(0), stateVector: sv }
    const tag = res.value.headers.get('etag')
    if (tag) answer.etag = tag
    const version = res.value.headers.get(DOC_VERSION_HEADER)
    if (version && DOC_VERSION_PATTERN.test(version)) answer.version = Number(version)
    if (res.value.status === 304) answer.notModified = true
    else answer.update = new Uint8Array(await res.value.arrayBuffer())
    return { ok: true, value: answer }
  }

  private async json<S extends z.ZodType, T>(
    method: string,
    path: string,
    body: unknown,
    schema: S | undefined,
    pick: (b: z.output<S>) => T,
    signal?: AbortSignal,
  ): Promise<ApiResult<T>> {
    const init: RequestInit = { method, headers: { accept: JSON_CONTENT_TYPE }, cache: 'no-store', ...(signal ? { signal } : {}) }
    if (body !== undefined) {
      init.headers = { ...init.headers, 'content-type': JSON_CONTENT_TYPE }
      init.body = JSON.stringify(body)
    }
    const res = await this.send(path, init)
    if (!res.ok) return res
    if (!schema) return { ok: true, value: pick(undefined as z.output<S>) }
    const parsed = await parse(res.value, schema)
    return parsed.ok ? { ok: true, value: pick(parsed.value) } : parsed
  }

  /// `alsoOk`: statuses besides 2xx that the caller handles itself (304 for a conditional pull).
  private async send(path: string, init: RequestInit, alsoOk: number[] = []): Promise<ApiResult<Response>> {
    let res: Response
    try {
      res = await this.fetchFn(path, { credentials: 'same-origin', ...init })
    } catch (err) {
      return { ok: false, kind: 'network', message: err instanceof Error ? err.message : String(err) }
    }
    if (res.ok || alsoOk.includes(res.status)) return { ok: true, value: res }
    let code: ErrorCode | 'unknown' = 'unknown'
    let message = `HTTP ${res.status}`
    let details: unknown
    try {
      const body = ErrorBodySchema.parse(await res.json())
      code = body.error.code
      message = body.error.message
      details = body.error.details
    } catch {
      // Not our error shape (a proxy, an outage page): keep the status.
    }
    return { ok: false, kind: 'http', status: res.status, code, message, details }
  }
}

async function parse<S extends z.ZodType>(res: Response, schema: S): Promise<ApiResult<z.output<S>>> {
  try {
    const parsed = schema.safeParse(await res.json())
    if (parsed.success) return { ok: true, value: parsed.data }
    return { ok: false, kind: 'http', status: res.status, code: 'unknown', message: 'Unexpected answer from the server' }
  } catch {
    return { ok: false, kind: 'http', status: res.status, code: 'unknown', message: 'Unexpected answer from the server' }
  }
}

export type { Project, User }
