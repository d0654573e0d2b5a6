import { bigint, boolean, customType, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/// `bytea` as Uint8Array on both drivers (postgres.js hands out Buffers, PGlite Uint8Arrays).
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)),
})

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/// Facts about this installation (one row per key), e.g. `instance_id` written at first start.
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  /// Normalised: trimmed and lower-cased.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  /// Bytes of every update log row of the user's projects (`project_docs.log_bytes` summed) plus the share blobs and
  /// version manifests they publish, kept in step with them in the same transactions: what the per-user storage
  /// quota is checked against.
  storedBytes: bigint('stored_bytes', { mode: 'number' }).notNull().default(0),
  /// What links the user shares say they are "by" (shared `DisplayNameSchema`); `null`: not set ("someone").
  displayName: text('display_name'),
})

/// Only the SHA-256 of a session token is stored; the token itself lives in the cookie.
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

/// Fixed one-minute windows, shared by every server process.
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
})

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    template: text('template'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /// The share link and version this project was forked from (the forker holds the link id anyway).
    forkedFromLink: text('forked_from_link'),
    forkedFromVersion: integer('forked_from_version'),
    /// The source project's name when it was forked (null for older forks and for projects not forked).
    forkedFromName: text('forked_from_name'),
  },
  (t) => [index('projects_owner_updated_idx').on(t.ownerId, t.updatedAt)],
)

/// One row per project: the row a sync locks, and the sequence number of its latest stored update.
export const projectDocs = pgTable('project_docs', {
  projectId: uuid('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  /// How many rows `project_updates` holds for the project; compaction merges them into one.
  updateRows: integer('update_rows').notNull(),
  /// Bytes the project's `project_updates` rows hold (history included): what the per-project history quota is
  /// checked against. Appends add to it in their transaction; compaction takes off what it saved.
  logBytes: bigint('log_bytes', { mode: 'number' }).notNull().default(0),
})

/// The project's Yjs document as a log of updates (each the effective delta a sync added); compacted now and then
/// into a single merged update.
export const projectUpdates = pgTable(
  'project_updates',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projectDocs.projectId, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    update: bytea('update').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.seq] })],
)

/// The materialized plain-file view of each project's doc (path, size, SHA-256), updated in the same transaction as
/// each sync. File bytes are read from the doc itself, so a keystroke never rewrites a whole file here. A sync writes
/// a changed file's size and clears its `sha256` (hashing whole files on every keystroke would cost a push most of
/// its time); the first listing after that hashes it from the doc, under the doc lock, and fills it in.
export const projectFiles = pgTable(
  'project_files',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    size: integer('size').notNull(),
    /// `null`: changed since it was last hashed.
    sha256: text('sha256'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.path] })],
)

/// Share links. The link id itself is never stored: `id_hash` (its SHA-256, hex) finds it, and `id_sealed` (AES-GCM
/// under the share key, see adapters/db/shares.ts) lets the owner's list show it again. Deleting the project keeps
/// the row (`project_id` null) so the link answers 410, not 404.
export const shareLinks = pgTable(
  'share_links',
  {
    pk: uuid('pk').primaryKey(),
    idHash: text('id_hash').notNull(),
    idSealed: text('id_sealed').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').references(() => projects.id, { onDelete: 'set null' }),
    /// The project's name when it was last published (what the share page shows, even after a rename or delete).
    projectName: text('project_name').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    latest: integer('latest').notNull().default(0),
    viewCount: bigint('view_count', { mode: 'number' }).notNull().default(0),
    lastViewedAt: timestamp('last_viewed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('share_links_id_hash_idx').on(t.idHash), index('share_links_project_idx').on(t.projectId)],
)

/// One immutable version of a link: its manifest in the compact binary form of domain/share-manifest.ts (sorted
/// paths, prefix-compressed, raw hashes: ~45 bytes a file).
export const shareVersions = pgTable(
  'share_versions',
  {
    linkPk: uuid('link_pk')
      .notNull()
      .references(() => shareLinks.pk, { onDelete: 'cascade' }),
    n: integer('n').notNull(),
    createdAt: createdAt(),
    fileCount: integer('file_count').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    /// Emptied when the link is revoked (the row stays for the owner's list).
    manifest: bytea('manifest').notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkPk, t.n] })],
)

/// File contents of shared versions, by SHA-256, once per owner: a republish stores only what changed, and no one
/// learns from timing or quotas whether another account published the same bytes.
export const shareBlobs = pgTable(
  'share_blobs',
  {
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    binary: boolean('binary').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.sha256] })],
)

/// Which blobs a link may serve (any of its versions): a blob address alone opens nothing of another link's.
export const shareLinkBlobs = pgTable(
  'share_link_blobs',
  {
    linkPk: uuid('link_pk')
      .notNull()
      .references(() => shareLinks.pk, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkPk, t.sha256] }), index('share_link_blobs_sha_idx').on(t.sha256)],
)

/// Each user's AI assistant use per UTC day: `used` is what the daily budget counts (domain/ai/budget.ts: cache reads
/// at a tenth, cache writes at 1.25); `streams` and `reserved` are the calls admitted that day still in flight and
/// the tokens they hold (kept in step with their `ai_streams` leases), so an admission is one conditional update of
/// this row, atomic across server processes; the rest are raw counters of the calls settled that day.
export const aiUsage = pgTable(
  'ai_usage',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    used: bigint('used', { mode: 'number' }).notNull().default(0),
    streams: integer('streams').notNull().default(0),
    reserved: bigint('reserved', { mode: 'number' }).notNull().default(0),
    calls: integer('calls').notNull().default(0),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    cacheReadTokens: bigint('cache_read_tokens', { mode: 'number' }).notNull().default(0),
    cacheWriteTokens: bigint('cache_write_tokens', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
)

/// AI calls in flight, one lease each: the day whose `ai_usage` row counts it, the tokens reserved for it until it
/// settles, and when the lease runs out if its process stops renewing it (a crash frees the person's slot and
/// reservation once the lease has run out).
export const aiStreams = pgTable(
  'ai_streams',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    reserved: bigint('reserved', { mode: 'number' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ai_streams_user_idx').on(t.userId)],
)
