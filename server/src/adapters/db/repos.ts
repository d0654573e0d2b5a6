import { and, desc, eq, getTableColumns, gt, inArray, lte, sql } from 'drizzle-orm'
import type {
  AccountRepo,
  DocTransaction,
  FoundSession,
  MaybePromise,
  ProjectRecord,
  ProjectRepo,
  RateDecision,
  RateLimiter,
  RateRule,
  SessionRecord,
  StoredFile,
  UserRecord,
} from '../../ports.ts'
import { systemClock } from '../../ports.ts'
import type { Clock } from '../../ports.ts'
import { projectNotFound } from '../../domain/projects.ts'
import type { QuotaVerdict } from '../../domain/quotas.ts'
import type { Db } from './index.ts'
import type { LookupCache } from './lookup-cache.ts'
import { CACHE_CHANNEL, ownershipKey, projectKey, sessionKey, shareLinkKey } from './lookup-cache.ts'
import { projectDocs, projectFiles, projectUpdates, projects, rateLimits, sessions, shareLinks, users } from './schema.ts'

/// Postgres SQLSTATE for a unique violation; postgres.js and PGlite both expose `code`.
const UNIQUE_VIOLATION = '23505'
const isUniqueViolation = (err: unknown): boolean => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === UNIQUE_VIOLATION) return true
  }
  return false
}

/// Every process drops its cached copy of a changed project (sent at commit; lookup-cache.ts). A deleted one
/// notifies `o:` (ownership) instead, which drops both.
const notifyProject = sql`pg_notify(${CACHE_CHANNEL}, 'p:' || ${projects.id})`

export class DrizzleAccountRepo implements AccountRepo {
  // Every API request resolves its session: a prepared statement skips query building and planning.
  private readonly sessionQuery
  private readonly sessionProjectQuery
  constructor(
    private readonly db: Db,
    /// Serves repeated lookups of live sessions and their projects without a round trip (lookup-cache.ts).
    private readonly cache?: LookupCache,
    private readonly clock: Clock = systemClock,
  ) {
    this.sessionQuery = db
      .select()
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
      .prepare('slipway_find_session')
    this.sessionProjectQuery = db
      .select()
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(projects, and(eq(projects.id, sql.placeholder('projectId')), eq(projects.ownerId, sessions.userId)))
      .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
      .prepare('slipway_find_session_project')
  }

  async findUserByEmail(email: string) {
    return (await this.db.select().from(users).where(eq(users.email, email)))[0]
  }

  async createUser(user: UserRecord) {
    try {
      await this.db.insert(users).values(user)
      return user
    } catch (err) {
      if (isUniqueViolation(err)) return undefined
      throw err
    }
  }

  async createSession(session: SessionRecord) {
    await this.db.insert(sessions).values(session)
  }

  findSession(tokenHash: string, projectId?: string, ownership = false): MaybePromise<FoundSession | undefined> {
    const cache = this.cache
    if (cache) {
      const at = cache.time()
      const hit = cache.getAt<{ session: SessionRecord; user: UserRecord }>(sessionKey(tokenHash), at)
      const now = this.clock.now().getTime()
      // A copy that looks expired may be out of date (another process slid it): only the database decides that.
      if (hit && now < hit.session.idleExpiresAt.getTime() && now < hit.session.absoluteExpiresAt.getTime()) {
        if (projectId === undefined) return hit
        const project =
          cache.getAt<ProjectRecord>(projectKey(projectId), at) ?? (ownership ? cache.getAt<ProjectRecord>(ownershipKey(projectId), at) : undefined)
        if (project) return project.ownerId === hit.user.id ? { session: hit.session, user: hit.user, project } : hit
      }
    }
    return this.loadSession(tokenHash, projectId)
  }

  /// `findSession` from the database, caching what it finds.
  private async loadSession(tokenHash: string, projectId: string | undefined): Promise<FoundSession | undefined> {
    const cache = this.cache
    const ticket = cache?.ticket() ?? 0
    const found = await this.querySession(tokenHash, projectId)
    if (cache && found) {
      cache.set(sessionKey(tokenHash), { session: found.session, user: found.user }, ticket)
      if (found.project) {
        cache.set(projectKey(found.project.id), found.project, ticket)
        cache.set(ownershipKey(found.project.id), found.project, ticket)
      }
    }
    return found
  }

  private async querySession(tokenHash: string, projectId: string | undefined) {
    if (projectId === undefined) {
      const row = (await this.sessionQuery.execute({ tokenHash }))[0]
      return row ? { session: row.sessions, user: row.users } : undefined
    }
    const row = (await this.sessionProjectQuery.execute({ tokenHash, projectId }))[0]
    return row ? { session: row.sessions, user: row.users, ...(row.projects ? { project: row.projects } : {}) } : undefined
  }

  async touchSession(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date) {
    await this.db.update(sessions).set({ lastSeenAt, idleExpiresAt }).where(eq(sessions.tokenHash, tokenHash))
    // Other processes' older copies only ever look expired too early, which sends them to the database.
    this.cache?.invalidate(sessionKey(tokenHash))
  }

  async deleteSession(tokenHash: string) {
    await this.db
      .delete(sessions)
      .where(eq(sessions.tokenHash, tokenHash))
      .returning({ notified: sql`pg_notify(${CACHE_CHANNEL}, 's:' || ${sessions.tokenHash})` })
    this.cache?.invalidate(sessionKey(tokenHash))
  }

  async setDisplayName(userId: string, displayName: string | null) {
    const { user, sessionHashes, linkHashes } = await this.db.transaction(async (tx) => {
      const [user] = await tx.update(users).set({ displayName }).where(eq(users.id, userId)).returning()
      if (!user) return { user: undefined, sessionHashes: [], linkHashes: [] }
      // Cached sessions hold the user row, cached links their owner's name: both are dropped everywhere at commit.
      const sessionHashes = await tx
        .select({ hash: sessions.tokenHash, notified: sql`pg_notify(${CACHE_CHANNEL}, 's:' || ${sessions.tokenHash})` })
        .from(sessions)
        .where(eq(sessions.userId, userId))
      const linkHashes = await tx
        .select({ hash: shareLinks.idHash, notified: sql`pg_notify(${CACHE_CHANNEL}, 'l:' || ${shareLinks.idHash})` })
        .from(shareLinks)
        // Through the owner's projects (both indexed). A link whose project is gone answers 410 whatever it caches.
        .where(inArray(shareLinks.projectId, tx.select({ id: projects.id }).from(projects).where(eq(projects.ownerId, userId))))
      return { user, sessionHashes, linkHashes }
    })
    for (const s of sessionHashes) this.cache?.invalidate(sessionKey(s.hash))
    for (const l of linkHashes) this.cache?.invalidate(shareLinkKey(l.hash))
    return user
  }
}

/// Thrown inside `take`'s transaction to roll back the hits it already counted.
class Refused extends Error {
  constructor(readonly retryAfterMs: number) {
    super('rate limit reached')
  }
}

export class DrizzleRateLimiter implements RateLimiter {
  constructor(private readonly db: Db) {}

  async count(key: string, windowMs: number, now: Date) {
    const [row] = await this.db.select({ count: rateLimits.count, windowStart: rateLimits.windowStart }).from(rateLimits).where(eq(rateLimits.key, key))
    return row && row.windowStart.getTime() > now.getTime() - windowMs ? row.count : 0
  }

  async take(rules: readonly RateRule[], now: Date): Promise<RateDecision> {
    try {
      // One transaction: a rule that refuses rolls back the hits the rules before it counted. Rules come in a fixed
      // order per caller, so two takes lock their shared keys in the same order.
      await this.db.transaction(async (tx) => {
        for (const rule of rules) {
          const expired = sql`${rateLimits.windowStart} <= ${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`
          // A new window starts when the stored one is over; otherwise the count goes up, unless it is at the limit:
          // then the row is left as it is and nothing comes back.
          const hits = rule.hits ?? 1
          const counted = await tx
            .insert(rateLimits)
            .values({ key: rule.key, windowStart: now, count: hits })
            .onConflictDoUpdate({
              target: rateLimits.key,
              set: {
                count: sql`case when ${expired} then ${hits}::integer else ${rateLimits.count} + ${hits}::integer end`,
                windowStart: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${rateLimits.windowStart} end`,
              },
              ...(rule.limit === undefined ? {} : { setWhere: sql`${expired} or ${rateLimits.count} + ${hits}::integer <= ${rule.limit}` }),
            })
            .returning({ count: rateLimits.count })
          if (counted.length === 0) {
            const [row] = await tx.select({ windowStart: rateLimits.windowStart }).from(rateLimits).where(eq(rateLimits.key, rule.key))
            throw new Refused(Math.max(0, (row?.windowStart.getTime() ?? now.getTime()) + rule.windowMs - now.getTime()))
          }
        }
      })
    } catch (err) {
      if (err instanceof Refused) return { allowed: false, retryAfterMs: err.retryAfterMs }
      throw err
    }
    return { allowed: true }
  }

  async add(counts: ReadonlyArray<{ key: string; hits: number }>, windowMs: number, now: Date) {
    if (counts.length === 0) return []
    const expired = sql`${rateLimits.windowStart} <= ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`
    // Arrays go as text and are cast in SQL (postgres.js and PGlite alike). The sum is taken as bigint and capped,
    // so a byte counter cannot overflow the integer column.
    const result = await this.db.execute<{ key: string; count: number; window_start: string | Date }>(sql`insert into ${rateLimits} (key, window_start, count)
      select v.key, ${now.toISOString()}::timestamptz, least(v.hits, 2147483647)::integer
      from unnest(${sql.param(counts.map((c) => c.key))}::text[], ${sql.param(counts.map((c) => String(c.hits)))}::text[]::bigint[]) as v(key, hits)
      on conflict (key) do update set
        count = case when ${expired} then excluded.count else least(${rateLimits.count}::bigint + excluded.count, 2147483647)::integer end,
        window_start = case when ${expired} then excluded.window_start else ${rateLimits.windowStart} end
      returning key, count, window_start`)
    const rows = Array.isArray(result) ? result : (result as unknown as { rows: Array<{ key: string; count: number; window_start: string | Date }> }).rows
    return rows.map((r) => ({ key: r.key, count: Number(r.count), windowStart: new Date(r.window_start) }))
  }

  async release(keys: readonly string[], takenAt: Date) {
    if (keys.length === 0) return
    const taken = and(inArray(rateLimits.key, [...keys]), lte(rateLimits.windowStart, takenAt))
    // Each statement is atomic per row: a hit counted between the two lands either in a row this deleted (and starts
    // a new one) or in one the update then decrements.
    await this.db.delete(rateLimits).where(and(taken, lte(rateLimits.count, 1)))
    await this.db
      .update(rateLimits)
      .set({ count: sql`${rateLimits.count} - 1` })
      .where(and(taken, gt(rateLimits.count, 1)))
  }

  async purge(before: Date) {
    await this.db.delete(rateLimits).where(lte(rateLimits.windowStart, before))
  }
}

export class DrizzleProjectRepo implements ProjectRepo {
  private readonly getQuery
  constructor(
    private readonly db: Db,
    private readonly cache?: LookupCache,
  ) {
    this.getQuery = db
      .select()
      .from(projects)
      .where(and(eq(projects.id, sql.placeholder('id')), eq(projects.ownerId, sql.placeholder('ownerId'))))
      .prepare('slipway_get_project')
  }

  list(ownerId: string) {
    return this.db.select().from(projects).where(eq(projects.ownerId, ownerId)).orderBy(desc(projects.updatedAt), desc(projects.createdAt))
  }

  async get(ownerId: string, id: string) {
    return (await this.getQuery.execute({ id, ownerId }))[0]
  }

  async create(project: ProjectRecord, firstUpdate: Uint8Array, files: StoredFile[], admit: (owner: { owned: number; userBytes: number }) => QuotaVerdict) {
    return this.db.transaction(async (tx) => {
      // The owner's row, locked: two creates (or a create and a push) of one account see each other's counts. The
      // count is its own statement, after the lock: one in the locking statement would read its snapshot from
      // before the wait, without the project a racing create just committed.
      const [locked] = await tx.select({ userBytes: users.storedBytes }).from(users).where(eq(users.id, project.ownerId)).for('update')
      const [count] = await tx.select({ owned: sql<number>`count(*)`.mapWith(Number) }).from(projects).where(eq(projects.ownerId, project.ownerId))
      const owner = locked && { userBytes: locked.userBytes, owned: count?.owned ?? 0 }
      const verdict = admit(owner ?? { owned: 0, userBytes: 0 })
      if (!verdict.ok) return verdict
      const bytes = firstUpdate.byteLength
      await tx.insert(projects).values(project)
      await tx.insert(projectDocs).values({ projectId: project.id, seq: 1, updateRows: 1, logBytes: bytes })
      await tx.insert(projectUpdates).values({ projectId: project.id, seq: 1, update: firstUpdate })
      await tx.update(users).set({ storedBytes: sql`${users.storedBytes} + ${bytes}` }).where(eq(users.id, project.ownerId))
      if (files.length) await tx.insert(projectFiles).values(files.map((f) => ({ ...f, projectId: project.id })))
      return verdict
    })
  }

  async rename(ownerId: string, id: string, name: string, now: Date) {
    const rows = await this.db
      .update(projects)
      .set({ name, updatedAt: now })
      .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId)))
      .returning({ ...getTableColumns(projects), notified: notifyProject })
    this.cache?.invalidate(projectKey(id))
    const row = rows[0]
    if (!row) return undefined
    const { notified: _notified, ...project } = row
    return project
  }

  async delete(ownerId: string, id: string) {
    let revokedLinks: string[] = []
    const rows = await this.db.transaction(async (tx) => {
      // A sync locks the doc row first and then writes the project row; the delete (project row first, then its
      // cascade) would take them the other way round and deadlock with a sync in flight. Taking the doc row first
      // makes the delete wait for that sync's commit instead.
      const [doc] = await tx
        .select({ logBytes: projectDocs.logBytes })
        .from(projectDocs)
        .innerJoin(projects, eq(projects.id, projectDocs.projectId))
        .where(and(eq(projectDocs.projectId, id), eq(projects.ownerId, ownerId)))
        .for('update', { of: projectDocs })
      // The owner's row after the doc row, as a push takes them.
      if (doc) await tx.update(users).set({ storedBytes: sql`greatest(0, ${users.storedBytes} - ${doc.logBytes})` }).where(eq(users.id, ownerId))
      // Its share links are revoked with it (the rows stay, so they answer 410; their blobs are freed after).
      if (doc) {
        const links = await tx
          .update(shareLinks)
          .set({ revokedAt: sql`coalesce(${shareLinks.revokedAt}, now())` })
          .where(eq(shareLinks.projectId, id))
          .returning({ idHash: shareLinks.idHash, notified: sql`pg_notify(${CACHE_CHANNEL}, 'l:' || ${shareLinks.idHash})` })
        revokedLinks = links.map((l) => l.idHash)
      }
      return tx
        .delete(projects)
        .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId)))
        .returning({ id: projects.id, notified: sql`pg_notify(${CACHE_CHANNEL}, 'o:' || ${projects.id})` })
    })
    this.cache?.invalidate(ownershipKey(id))
    this.cache?.invalidate(projectKey(id))
    for (const idHash of revokedLinks) this.cache?.invalidate(shareLinkKey(idHash))
    return rows.length > 0
  }

  listFiles(projectId: string) {
    return this.listFilesIn(this.db, projectId)
  }

  private listFilesIn(db: Pick<Db, 'select'>, projectId: string) {
    return db
      .select({ path: projectFiles.path, size: projectFiles.size, sha256: projectFiles.sha256 })
      .from(projectFiles)
      .where(eq(projectFiles.projectId, projectId))
      .orderBy(projectFiles.path)
  }

  async readDoc(projectId: string, afterSeq: number) {
    // One snapshot: the head and the log it belongs to.
    return this.db.transaction(
      async (tx) => {
        const head = (await tx.select().from(projectDocs).where(eq(projectDocs.projectId, projectId)))[0]
        if (!head) return undefined
        if (afterSeq >= head.seq) return { seq: head.seq, updates: [] }
        const rows = await tx
          .select({ update: projectUpdates.update })
          .from(projectUpdates)
          .where(and(eq(projectUpdates.projectId, projectId), gt(projectUpdates.seq, afterSeq)))
          .orderBy(projectUpdates.seq)
        return { seq: head.seq, updates: rows.map((r) => r.update) }
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    )
  }

  async withDocLock<T>(projectId: string, fn: (tx: DocTransaction) => Promise<T>): Promise<T> {
    let touched = false
    try {
      return await this.lockedDoc(projectId, fn, () => (touched = true))
    } finally {
      // After commit (or rollback): a lookup in between may have cached the row as it was before.
      if (touched) this.cache?.invalidate(projectKey(projectId))
    }
  }

  private lockedDoc<T>(projectId: string, fn: (tx: DocTransaction) => Promise<T>, onTouch: () => void): Promise<T> {
    return this.db.transaction(async (tx) => {
      // The doc row and its owner's row: every push to any of the owner's projects takes both, in this order, so the
      // owner's stored bytes are exact when the quota is checked.
      const head = (
        await tx
          .select({ seq: projectDocs.seq, updateRows: projectDocs.updateRows, logBytes: projectDocs.logBytes, ownerId: users.id, ownerBytes: users.storedBytes })
          .from(projectDocs)
          .innerJoin(projects, eq(projects.id, projectDocs.projectId))
          .innerJoin(users, eq(users.id, projects.ownerId))
          .where(eq(projectDocs.projectId, projectId))
          .for('update', { of: [projectDocs, users] })
      )[0]
      // Deleted meanwhile (a delete waits for the doc lock, so a sync queued behind it finds no row).
      if (!head) throw projectNotFound()
      const docTx: DocTransaction = {
        seq: head.seq,
        updateRows: head.updateRows,
        logBytes: head.logBytes,
        ownerBytes: head.ownerBytes,
        updatesAfter: async (seq) =>
          (
            await tx
              .select({ update: projectUpdates.update })
              .from(projectUpdates)
              .where(and(eq(projectUpdates.projectId, projectId), gt(projectUpdates.seq, seq)))
              .orderBy(projectUpdates.seq)
          ).map((r) => r.update),
        // The statements of one step are sent together without waiting for each answer (postgres.js pipelines
        // them on the transaction's connection; PGlite queues them): they still run in this order.
        append: (update, now) => {
          const seq = head.seq + 1
          onTouch()
          const done = Promise.all([
            tx.insert(projectUpdates).values({ projectId, seq, update }),
            tx
              .update(projectDocs)
              .set({ seq, updateRows: head.updateRows + 1, logBytes: head.logBytes + update.byteLength })
              .where(eq(projectDocs.projectId, projectId)),
            tx.update(users).set({ storedBytes: head.ownerBytes + update.byteLength }).where(eq(users.id, head.ownerId)),
            tx.update(projects).set({ updatedAt: now }).where(eq(projects.id, projectId)).returning({ notified: notifyProject }),
          ]).then(() => {})
          return { seq, done }
        },
        fileSizes: async () =>
          new Map(
            (await tx.select({ path: projectFiles.path, size: projectFiles.size }).from(projectFiles).where(eq(projectFiles.projectId, projectId))).map(
              (f) => [f.path, f.size],
            ),
          ),
        listFiles: () => this.listFilesIn(tx, projectId),
        writeDigests: async (files) => {
          // One statement per 1000 files (parameters), each matching rows by path.
          const writes: Array<PromiseLike<unknown>> = []
          for (let i = 0; i < files.length; i += 1000) {
            const part = files.slice(i, i + 1000)
            writes.push(
              tx.execute(sql`update ${projectFiles} set sha256 = d.sha256 from unnest(${sql.param(part.map((f) => f.path))}::text[], ${sql.param(
                part.map((f) => f.sha256),
              )}::text[]) as d(path, sha256) where ${projectFiles.projectId} = ${projectId} and ${projectFiles.path} = d.path`),
            )
          }
          await Promise.all(writes)
        },
        writeFiles: async (upserts, deletes) => {
          const writes: Array<PromiseLike<unknown>> = []
          if (deletes.length) writes.push(tx.delete(projectFiles).where(and(eq(projectFiles.projectId, projectId), inArray(projectFiles.path, deletes))))
          // Batches keep each statement well under Postgres's 65,535 parameters.
          for (let i = 0; i < upserts.length; i += 1000) {
            writes.push(
              tx
                .insert(projectFiles)
                .values(upserts.slice(i, i + 1000).map((f) => ({ path: f.path, size: f.size, sha256: null, projectId })))
                .onConflictDoUpdate({
                  target: [projectFiles.projectId, projectFiles.path],
                  set: { size: sql`excluded.size`, sha256: sql`null` },
                }),
            )
          }
          await Promise.all(writes)
        },
      }
      return fn(docTx)
    })
  }
}
