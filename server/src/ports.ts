import type { QuotaVerdict } from './domain/quotas.ts'

/// What the domain needs from the outside world. Adapters implement these (adapters/db for Postgres/PGlite);
/// domain code imports only this file and shared.

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface UserRecord {
  id: string
  email: string
  passwordHash: string
  createdAt: Date
  /// What links the user shares say they are "by"; `null` or absent: not set.
  displayName?: string | null
}

export interface SessionRecord {
  tokenHash: string
  userId: string
  lastSeenAt: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
}

/// A value, or a promise of it: for ports that can often answer without waiting (`await` takes either).
export type MaybePromise<T> = T | Promise<T>

export const isPromise = <T>(value: MaybePromise<T>): value is Promise<T> => value instanceof Promise

export interface FoundSession {
  session: SessionRecord
  user: UserRecord
  project?: ProjectRecord
}

export interface AccountRepo {
  findUserByEmail(email: string): Promise<UserRecord | undefined>
  /// Inserts a user; returns `undefined` when the email is taken.
  createUser(user: UserRecord): Promise<UserRecord | undefined>
  createSession(session: SessionRecord): Promise<void>
  /// The session and its user, whatever their expiry; with `projectId`, also that project when the session's user
  /// owns it (one round trip for the common "who is this, and is it their project" question). `ownership`: only the
  /// project's id and owner need to be current (its name and updatedAt may lag). Answers synchronously when it can
  /// without a round trip (a lookup cache hit): most requests are a signed-in user asking about their own project.
  findSession(tokenHash: string, projectId?: string, ownership?: boolean): MaybePromise<FoundSession | undefined>
  touchSession(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void>
  deleteSession(tokenHash: string): Promise<void>
  /// Sets (or, with `null`, clears) the user's display name; every cached copy of the user (their sessions) and of
  /// their share links (which carry it) is dropped, in every process. `undefined` when there is no such user.
  setDisplayName(userId: string, displayName: string | null): Promise<UserRecord | undefined>
}

/// One fixed-window counter: `key` counts hits in windows of `windowMs`, at most `limit` per window (no `limit`:
/// counted, never refused).
export interface RateRule {
  key: string
  windowMs: number
  limit?: number
  /// Hits this take counts at once (default 1): a process may take a few ahead and spend them locally.
  hits?: number
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number }

/// Fixed-window counters shared by every server process.
export interface RateLimiter {
  /// The hits counted on `key` in the window current at `now` (0 when there is none).
  count(key: string, windowMs: number, now: Date): Promise<number>
  /// Counts one hit on every rule, or on none: when a rule's window already holds `limit` hits nothing is written
  /// (no row, no count) and `retryAfterMs` says when that window ends.
  take(rules: readonly RateRule[], now: Date): Promise<RateDecision>
  /// Adds each key's `hits` to its counter (a new window when the stored one started `windowMs` or more before
  /// `now`), never refusing, and answers each key's count and window start afterwards: one round trip for many keys,
  /// for callers that count locally and decide themselves (share-rates.ts). Counts stop at 2^31 - 1.
  add(counts: ReadonlyArray<{ key: string; hits: number }>, windowMs: number, now: Date): Promise<Array<{ key: string; count: number; windowStart: Date }>>
  /// Takes back one hit of each key counted by a `take` at `takenAt` (a window started since is left alone); a
  /// counter back at zero is deleted.
  release(keys: readonly string[], takenAt: Date): Promise<void>
  /// Deletes every window that started at or before `before`.
  purge(before: Date): Promise<void>
}

export interface ProjectRecord {
  id: string
  ownerId: string
  name: string
  template: string | null
  createdAt: Date
  updatedAt: Date
  /// The share link and version this project was forked from (both or neither).
  forkedFromLink?: string | null
  forkedFromVersion?: number | null
  /// The source project's name at fork time, shown as "Forked from “name”".
  forkedFromName?: string | null
}

export interface StoredFile {
  path: string
  size: number
  sha256: string
  content: Uint8Array
}

export type FileDigest = Omit<StoredFile, 'content'>

/// A row of the files view: `sha256` is `null` while the file has not been hashed since it last changed.
export type FileRow = Omit<FileDigest, 'sha256'> & { sha256: string | null }

/// A file's content as the project doc holds it: a text (one string, or the pieces that joined make it), or a
/// binary's bytes.
export interface FileContent {
  path: string
  content: string | readonly string[] | Uint8Array
}

export interface ProjectRepo {
  list(ownerId: string): Promise<ProjectRecord[]>
  /// `undefined` unless the project exists and belongs to `ownerId`.
  get(ownerId: string, id: string): Promise<ProjectRecord | undefined>
  /// Inserts the project with its first doc update and materialized files, in one transaction, if `admit` (asked
  /// while the owner's row is locked, with the projects they own and the bytes they store) allows it.
  create(project: ProjectRecord, firstUpdate: Uint8Array, files: StoredFile[], admit: (owner: { owned: number; userBytes: number }) => QuotaVerdict): Promise<QuotaVerdict>
  rename(ownerId: string, id: string, name: string, now: Date): Promise<ProjectRecord | undefined>
  /// Deletes the project with its doc, updates and files. False when there was nothing of `ownerId`'s to delete.
  delete(ownerId: string, id: string): Promise<boolean>
  /// The files view by path, as committed.
  listFiles(projectId: string): Promise<FileRow[]>
  /// Committed doc state: the latest sequence number and the update log (for building the doc).
  readDoc(projectId: string, afterSeq: number): Promise<{ seq: number; updates: Uint8Array[] } | undefined>
  /// Runs `fn` in one transaction holding the project's doc lock (serializes syncs across processes). Throwing
  /// inside rolls everything back. Rejects with `DomainError` `not_found` when the project is gone. Anything else
  /// that locks a project's rows (a delete) takes the doc lock first, so it waits for a sync instead of deadlocking.
  withDocLock<T>(projectId: string, fn: (tx: DocTransaction) => Promise<T>): Promise<T>
}

/// Merges a project's update log into fewer rows, off the request path (see domain/compaction.ts).
export interface LogCompactor {
  /// Asks for a compaction of the project's log, if it needs one; returns at once.
  request(projectId: string): void
  /// Resolves once no requested compaction is running.
  idle(): Promise<void>
  close(): Promise<void>
}

export interface DocTransaction {
  readonly seq: number
  readonly updateRows: number
  /// Bytes the project's update log holds, and the bytes all of its owner's logs hold (the owner's row is locked
  /// too, so no push to another of their projects moves it meanwhile). `append` adds to both.
  readonly logBytes: number
  readonly ownerBytes: number
  updatesAfter(seq: number): Promise<Uint8Array[]>
  /// Appends an update to the log and marks the project updated at `now`. The statements go out at once; `seq` is
  /// the new head, `done` settles when they have run (a failure aborts the transaction: its commit rolls back).
  append(update: Uint8Array, now: Date): { seq: number; done: Promise<void> }
  /// The files view's sizes by path.
  fileSizes(): Promise<Map<string, number>>
  /// Writes the files view (`deletes` go, `upserts` are inserted or get their new size, unhashed). Like `append`,
  /// settles when run.
  writeFiles(upserts: Array<Omit<FileDigest, 'sha256'>>, deletes: string[]): Promise<void>
  /// The files view by path, as it stands in this transaction.
  listFiles(): Promise<FileRow[]>
  /// Fills in the SHA-256s of files the view lists.
  writeDigests(files: FileDigest[]): Promise<void>
}

/// A share link as stored (the id itself is not: see `idHash` and `idSealed`).
export interface ShareLinkRecord {
  pk: string
  idHash: string
  ownerId: string
  /// `null` once the project is deleted (the link then answers 410).
  projectId: string | null
  projectName: string
  createdAt: Date
  revokedAt: Date | null
  /// The newest version's number (0 before the first publish commits).
  latest: number
  viewCount: number
  lastViewedAt: Date | null
}

/// A link as `findLink` reads it: with its owner's display name as of now (`null`: not set).
export interface FoundShareLink extends ShareLinkRecord {
  ownerName: string | null
}

export interface ShareVersionRecord {
  n: number
  createdAt: Date
  fileCount: number
  bytes: number
}

/// A blob a publish stores, if the owner does not hold it already.
export interface ShareBlob {
  sha256: string
  binary: boolean
  content: Uint8Array
}

export type PublishOutcome =
  | { ok: true; link: ShareLinkRecord; version: ShareVersionRecord; storedBytes: number }
  | { ok: false; reason: 'quota'; verdict: Extract<QuotaVerdict, { ok: false }> }
  | { ok: false; reason: 'revoked' | 'not_found' | 'too_many_links' | 'too_many_versions' }

export interface SharePublish {
  ownerId: string
  projectId: string
  projectName: string
  /// A new link (`pk` fresh) or the pk of an existing link of the project.
  link: { kind: 'new'; pk: string; idHash: string; idSealed: string } | { kind: 'existing'; pk: string }
  now: Date
  manifest: Uint8Array
  fileCount: number
  bytes: number
  /// Every blob of the version, unique by hash.
  blobs: ShareBlob[]
  maxLinksPerProject: number
  maxVersionsPerLink: number
  /// Asked under the owner's row lock with what the account stores and what this publish adds.
  admit: (stored: { userBytes: number }, adding: number) => QuotaVerdict
}

export interface ShareRepo {
  /// The link with this id hash, revoked or not.
  findLink(idHash: string): Promise<FoundShareLink | undefined>
  /// The project's links (newest first) with their sealed ids and versions (oldest first).
  listLinks(ownerId: string, projectId: string): Promise<Array<{ link: ShareLinkRecord; idSealed: string; versions: ShareVersionRecord[] }>>
  readVersion(linkPk: string, n: number): Promise<(ShareVersionRecord & { manifest: Uint8Array }) | undefined>
  /// A blob's bytes if the link may serve it.
  readLinkBlob(link: ShareLinkRecord, sha256: string): Promise<Uint8Array | undefined>
  /// Blobs of the owner by hash (those that exist).
  readBlobs(ownerId: string, sha256s: readonly string[]): Promise<Map<string, Uint8Array>>
  /// Stores a version (and a new link) in one transaction.
  publish(p: SharePublish): Promise<PublishOutcome>
  /// Revokes the owner's link of the project (already revoked: unchanged) and frees what only it held. `undefined`
  /// when there is no such link of theirs.
  revoke(ownerId: string, projectId: string, idHash: string, now: Date): Promise<ShareLinkRecord | undefined>
  /// Frees what revoked links of the owner still hold (manifests, blobs no live link serves).
  purge(ownerId: string): Promise<void>
  /// Adds views counted since the last flush.
  addViews(views: ReadonlyArray<{ pk: string; count: number; at: Date }>): Promise<void>
}

/// One call of the Messages API, in its own wire shape (the fields the assistant uses). `cache_control` marks the
/// prompt-cache breakpoints.
export interface LlmCacheControl {
  type: 'ephemeral'
}
export type LlmBlock =
  | { type: 'text'; text: string; cache_control?: LlmCacheControl }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean; cache_control?: LlmCacheControl }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
export interface LlmTool {
  name: string
  description: string
  input_schema: Record<string, unknown>
  cache_control?: LlmCacheControl
}
export interface LlmRequest {
  model: string
  max_tokens: number
  system: Array<{ type: 'text'; text: string; cache_control?: LlmCacheControl }>
  tools: LlmTool[]
  messages: Array<{ role: 'user' | 'assistant'; content: LlmBlock[] }>
}

/// The Messages API's usage counters as a stream reports them (`null` where a `message_delta` leaves one out).
export interface LlmUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
}

/// The streaming events of the Messages API that the assistant reads (others are passed over).
export type LlmStreamEvent =
  | { type: 'message_start'; message: { model: string; usage: LlmUsage } }
  | {
      type: 'content_block_start'
      index: number
      content_block:
        | { type: 'text'; text: string }
        | { type: 'tool_use'; id: string; name: string }
        | { type: 'thinking'; thinking: string; signature?: string }
        | { type: 'redacted_thinking'; data: string }
        | { type: string }
    }
  | {
      type: 'content_block_delta'
      index: number
      delta:
        | { type: 'text_delta'; text: string }
        | { type: 'input_json_delta'; partial_json: string }
        | { type: 'thinking_delta'; thinking: string }
        | { type: 'signature_delta'; signature: string }
        | { type: string }
    }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason: string | null }; usage: LlmUsage }
  | { type: 'message_stop' }

/// Why a model call failed, in words safe to log (never an upstream body or the key).
export type LlmFailure =
  /// 529, or an `overloaded_error` event
  | 'overloaded'
  /// 429, or a `rate_limit_error` event
  | 'rate_limited'
  /// 401/403: the key was refused
  | 'auth'
  /// 400/404/413/422: the API refused the request as built
  | 'invalid_request'
  /// another HTTP error, or another error event
  | 'upstream'
  /// the connection failed or broke
  | 'connection'
  | 'timeout'
  /// our own signal aborted it
  | 'aborted'

export class LlmError extends Error {
  constructor(
    readonly failure: LlmFailure,
    message: string,
    readonly info: { status?: number | undefined; type?: string | undefined; requestId?: string | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(message)
    this.name = 'LlmError'
  }
}

/// A Messages API client (adapters/anthropic.ts). `stream` sends nothing until it is first iterated; it throws
/// `LlmError` (before or during the stream). When `signal` aborts, the request is aborted and iteration ends.
export interface LlmClient {
  stream(request: LlmRequest, signal: AbortSignal): AsyncIterable<LlmStreamEvent>
}

/// A user's AI budget for one UTC day as it stands: tokens settled, tokens reserved by calls in flight, and how many
/// calls are in flight (live leases).
export interface AiBudgetState {
  used: number
  reserved: number
  streams: number
}

/// Per-user token budgets and in-flight model calls, shared by every server process (adapters/db/ai.ts).
export interface AiUsageRepo {
  /// In one atomic step: takes one of the user's stream slots and reserves `lease.reserve` tokens on their `day`, if
  /// that leaves them at most `guard.maxStreams` calls in flight and within `guard.limit` tokens (settled and
  /// reserved), and records the lease until `lease.expiresAt`. Otherwise takes nothing, drops the user's expired
  /// leases (their process died mid-call) and answers the state as it then stands.
  reserve(
    userId: string,
    day: string,
    now: Date,
    lease: { id: string; expiresAt: Date; reserve: number },
    guard: { limit: number; maxStreams: number },
  ): Promise<{ ok: true; used: number } | { ok: false; state: AiBudgetState }>
  /// Moves a live lease's expiry on.
  renew(leaseId: string, expiresAt: Date): Promise<void>
  /// Ends the lease (freeing its slot and reservation) and adds a call's tokens to the user's `day`; answers the
  /// day's tokens used after it.
  settle(leaseId: string, userId: string, day: string, usage: AiSettlement): Promise<number>
  /// Tokens settled on `day` (0 when none).
  used(userId: string, day: string): Promise<number>
}

export interface AiSettlement {
  /// What the budget counts (domain/ai/budget.ts `budgetTokens`).
  budget: number
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}
