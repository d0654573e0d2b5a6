import { randomBytes } from 'node:crypto'
import { and, desc, eq, inArray, isNotNull, isNull, notExists, or, sql } from 'drizzle-orm'
import type { FoundShareLink, PublishOutcome, ShareLinkRecord, SharePublish, ShareRepo, ShareVersionRecord } from '../../ports.ts'
import type { Db } from './index.ts'
import type { LookupCache } from './lookup-cache.ts'
import { CACHE_CHANNEL, shareLinkKey } from './lookup-cache.ts'
import { serverMeta, shareBlobs, shareLinkBlobs, shareLinks, shareVersions, users } from './schema.ts'

const linkColumns = {
  pk: shareLinks.pk,
  idHash: shareLinks.idHash,
  ownerId: shareLinks.ownerId,
  projectId: shareLinks.projectId,
  projectName: shareLinks.projectName,
  createdAt: shareLinks.createdAt,
  revokedAt: shareLinks.revokedAt,
  latest: shareLinks.latest,
  viewCount: shareLinks.viewCount,
  lastViewedAt: shareLinks.lastViewedAt,
}

/// The key link ids are sealed with for the owner's list: `SLIPWAY_SHARE_KEY` when set (then a database copy alone
/// cannot show link ids), else one generated at first start and kept in `server_meta`.
export async function shareKey(db: Db, configured: Uint8Array | undefined): Promise<Uint8Array> {
  if (configured) return configured
  await db.insert(serverMeta).values({ key: 'share_key', value: randomBytes(32).toString('base64url') }).onConflictDoNothing()
  const [row] = await db.select().from(serverMeta).where(eq(serverMeta.key, 'share_key'))
  return new Uint8Array(Buffer.from(row!.value, 'base64url'))
}

/// Every process drops its cached copy of a changed link (sent at commit; lookup-cache.ts).
const notifyLink = sql<string>`pg_notify(${CACHE_CHANNEL}, 'l:' || ${shareLinks.idHash})`

export class DrizzleShareRepo implements ShareRepo {
  private readonly findQuery
  constructor(
    private readonly db: Db,
    /// Serves repeated lookups of a link (every read of it) without a round trip; a publish, a revoke or its
    /// project's delete drops the copy in every process.
    private readonly cache?: LookupCache,
  ) {
    // With the owner's display name as of now: `setDisplayName` drops the cached copies of the owner's links.
    this.findQuery = db
      .select({ ...linkColumns, ownerName: users.displayName })
      .from(shareLinks)
      .innerJoin(users, eq(users.id, shareLinks.ownerId))
      .where(eq(shareLinks.idHash, sql.placeholder('idHash')))
      .prepare('slipway_find_share_link')
  }

  async findLink(idHash: string) {
    const key = shareLinkKey(idHash)
    const hit = this.cache?.get<FoundShareLink>(key)
    if (hit) return hit
    const ticket = this.cache?.ticket() ?? 0
    const link = (await this.findQuery.execute({ idHash }))[0]
    if (link) this.cache?.set(key, link, ticket)
    return link
  }

  async listLinks(ownerId: string, projectId: string) {
    const links = await this.db
      .select({ ...linkColumns, idSealed: shareLinks.idSealed })
      .from(shareLinks)
      .where(and(eq(shareLinks.ownerId, ownerId), eq(shareLinks.projectId, projectId)))
      .orderBy(desc(shareLinks.createdAt), desc(shareLinks.pk))
    if (links.length === 0) return []
    const versions = await this.db
      .select({ linkPk: shareVersions.linkPk, n: shareVersions.n, createdAt: shareVersions.createdAt, fileCount: shareVersions.fileCount, bytes: shareVersions.bytes })
      .from(shareVersions)
      .where(inArray(shareVersions.linkPk, links.map((l) => l.pk)))
      .orderBy(shareVersions.n)
    const byLink = new Map<string, ShareVersionRecord[]>()
    for (const { linkPk, ...v } of versions) byLink.set(linkPk, [...(byLink.get(linkPk) ?? []), v])
    return links.map(({ idSealed, ...link }) => ({ link, idSealed, versions: byLink.get(link.pk) ?? [] }))
  }

  async readVersion(linkPk: string, n: number) {
    return (await this.db.select().from(shareVersions).where(and(eq(shareVersions.linkPk, linkPk), eq(shareVersions.n, n))))[0]
  }

  async readLinkBlob(link: ShareLinkRecord, sha256: string) {
    const [row] = await this.db
      .select({ content: shareBlobs.content })
      .from(shareLinkBlobs)
      .innerJoin(shareBlobs, and(eq(shareBlobs.ownerId, link.ownerId), eq(shareBlobs.sha256, shareLinkBlobs.sha256)))
      .where(and(eq(shareLinkBlobs.linkPk, link.pk), eq(shareLinkBlobs.sha256, sha256)))
    return row?.content
  }

  async readBlobs(ownerId: string, sha256s: readonly string[]) {
    const out = new Map<string, Uint8Array>()
    for (let i = 0; i < sha256s.length; i += 1000) {
      const rows = await this.db
        .select({ sha256: shareBlobs.sha256, content: shareBlobs.content })
        .from(shareBlobs)
        .where(and(eq(shareBlobs.ownerId, ownerId), inArray(shareBlobs.sha256, sha256s.slice(i, i + 1000))))
      for (const r of rows) out.set(r.sha256, r.content)
    }
    return out
  }

  async publish(p: SharePublish): Promise<PublishOutcome> {
    return this.db.transaction(async (tx) => {
      // The owner's row first, as a sync takes it: stored bytes are exact when the quota is checked.
      const [owner] = await tx.select({ storedBytes: users.storedBytes }).from(users).where(eq(users.id, p.ownerId)).for('update')
      if (!owner) return { ok: false, reason: 'not_found' } as const
      let latest = 0
      if (p.link.kind === 'new') {
        const [count] = await tx
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(shareLinks)
          .where(eq(shareLinks.projectId, p.projectId))
        if ((count?.n ?? 0) >= p.maxLinksPerProject) return { ok: false, reason: 'too_many_links' } as const
        await tx.insert(shareLinks).values({
          pk: p.link.pk,
          idHash: p.link.idHash,
          idSealed: p.link.idSealed,
          ownerId: p.ownerId,
          projectId: p.projectId,
          projectName: p.projectName,
          createdAt: p.now,
        })
      } else {
        const [link] = await tx
          .select({ latest: shareLinks.latest, revokedAt: shareLinks.revokedAt, projectId: shareLinks.projectId })
          .from(shareLinks)
          .where(and(eq(shareLinks.pk, p.link.pk), eq(shareLinks.ownerId, p.ownerId)))
          .for('update')
        if (!link) return { ok: false, reason: 'not_found' } as const
        if (link.revokedAt || link.projectId === null) return { ok: false, reason: 'revoked' } as const
        if (link.latest >= p.maxVersionsPerLink) return { ok: false, reason: 'too_many_versions' } as const
        latest = link.latest
      }
      const hashes = p.blobs.map((b) => b.sha256)
      const held = new Set<string>()
      for (let i = 0; i < hashes.length; i += 1000) {
        const rows = await tx
          .select({ sha256: shareBlobs.sha256 })
          .from(shareBlobs)
          .where(and(eq(shareBlobs.ownerId, p.ownerId), inArray(shareBlobs.sha256, hashes.slice(i, i + 1000))))
        for (const r of rows) held.add(r.sha256)
      }
      const fresh = p.blobs.filter((b) => !held.has(b.sha256))
      const adding = fresh.reduce((n, b) => n + b.content.byteLength, 0) + p.manifest.byteLength
      const verdict = p.admit({ userBytes: owner.storedBytes }, adding)
      if (!verdict.ok) {
        // Roll back the new link row too.
        throw new QuotaRefused(verdict)
      }
      // Blobs in batches by bytes and count: each statement stays well under Postgres's limits.
      let batch: typeof fresh = []
      let batchBytes = 0
      const flush = async () => {
        if (batch.length) {
          await tx
            .insert(shareBlobs)
            .values(batch.map((b) => ({ ownerId: p.ownerId, sha256: b.sha256, size: b.content.byteLength, binary: b.binary, content: b.content })))
            .onConflictDoNothing()
        }
        batch = []
        batchBytes = 0
      }
      for (const b of fresh) {
        batch.push(b)
        batchBytes += b.content.byteLength
        if (batch.length >= 500 || batchBytes >= 8 * 1024 * 1024) await flush()
      }
      await flush()
      for (let i = 0; i < hashes.length; i += 5000) {
        await tx
          .insert(shareLinkBlobs)
          .values(hashes.slice(i, i + 5000).map((sha256) => ({ linkPk: p.link.pk, sha256 })))
          .onConflictDoNothing()
      }
      const version = { n: latest + 1, createdAt: p.now, fileCount: p.fileCount, bytes: p.bytes }
      await tx.insert(shareVersions).values({ linkPk: p.link.pk, ...version, manifest: p.manifest })
      const [updated] = await tx
        .update(shareLinks)
        .set({ latest: version.n, projectName: p.projectName })
        .where(eq(shareLinks.pk, p.link.pk))
        .returning({ ...linkColumns, notified: notifyLink })
      const { notified: _notified, ...link } = updated!
      await tx.update(users).set({ storedBytes: sql`${users.storedBytes} + ${adding}` }).where(eq(users.id, p.ownerId))
      return { ok: true, link, version, storedBytes: adding } as const
    }).then((outcome) => {
      if (outcome.ok) this.cache?.invalidate(shareLinkKey(outcome.link.idHash))
      return outcome
    }).catch((err: unknown) => {
      if (err instanceof QuotaRefused) return { ok: false, reason: 'quota', verdict: err.verdict } as const
      // The project was deleted while its snapshot was taken: its row is gone, so the new link's reference fails.
      if (isForeignKeyViolation(err)) return { ok: false, reason: 'not_found' } as const
      throw err
    })
  }

  async revoke(ownerId: string, projectId: string, idHash: string, now: Date) {
    const [row] = await this.db
      .update(shareLinks)
      .set({ revokedAt: sql`coalesce(${shareLinks.revokedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(shareLinks.idHash, idHash), eq(shareLinks.ownerId, ownerId), eq(shareLinks.projectId, projectId)))
      .returning({ ...linkColumns, notified: notifyLink })
    this.cache?.invalidate(shareLinkKey(idHash))
    if (!row) return undefined
    const { notified: _notified, ...link } = row
    await this.purge(ownerId)
    return link
  }

  async purge(ownerId: string) {
    await this.db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for('update')
      const dead = or(isNotNull(shareLinks.revokedAt), isNull(shareLinks.projectId))
      const deadLinks = tx.select({ pk: shareLinks.pk }).from(shareLinks).where(and(eq(shareLinks.ownerId, ownerId), dead))
      // Manifests of dead links are emptied (the version rows stay for the owner's list) and their bytes given back.
      const deadVersions = and(inArray(shareVersions.linkPk, deadLinks), sql`octet_length(${shareVersions.manifest}) > 0`)
      const [manifests] = await tx
        .select({ bytes: sql<number>`coalesce(sum(octet_length(${shareVersions.manifest})), 0)`.mapWith(Number) })
        .from(shareVersions)
        .where(deadVersions)
      await tx.update(shareVersions).set({ manifest: new Uint8Array(0) }).where(deadVersions)
      await tx.delete(shareLinkBlobs).where(inArray(shareLinkBlobs.linkPk, deadLinks))
      const freed = await tx
        .delete(shareBlobs)
        .where(
          and(
            eq(shareBlobs.ownerId, ownerId),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(shareLinkBlobs)
                .innerJoin(shareLinks, eq(shareLinks.pk, shareLinkBlobs.linkPk))
                .where(and(eq(shareLinks.ownerId, ownerId), eq(shareLinkBlobs.sha256, shareBlobs.sha256))),
            ),
          ),
        )
        .returning({ size: shareBlobs.size })
      const bytes = freed.reduce((n, r) => n + r.size, 0) + (manifests?.bytes ?? 0)
      if (bytes) await tx.update(users).set({ storedBytes: sql`greatest(0, ${users.storedBytes} - ${bytes})` }).where(eq(users.id, ownerId))
    })
  }

  async addViews(views: ReadonlyArray<{ pk: string; count: number; at: Date }>) {
    if (views.length === 0) return
    await this.db.execute(sql`update ${shareLinks} set view_count = ${shareLinks.viewCount} + v.count, last_viewed_at = greatest(${shareLinks.lastViewedAt}, v.at)
      from unnest(${sql.param(views.map((v) => v.pk))}::text[]::uuid[], ${sql.param(views.map((v) => String(v.count)))}::text[]::bigint[], ${sql.param(
        views.map((v) => v.at.toISOString()),
      )}::text[]::timestamptz[]) as v(pk, count, at) where ${shareLinks.pk} = v.pk`)
  }
}

const isForeignKeyViolation = (err: unknown): boolean => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23503') return true
  return false
}

class QuotaRefused extends Error {
  constructor(readonly verdict: Extract<PublishOutcome, { reason: 'quota' }>['verdict']) {
    super('quota')
  }
}
