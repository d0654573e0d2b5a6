/// Process-local cache of what every API request looks up: session rows (with their user) by token hash, and
/// project rows by id. Postgres stays the source of truth; an entry is only ever a copy of a committed row.
///
/// Every write that could make a copy wrong (a session deleted at logout, rotation or expiry; a project renamed,
/// deleted or touched by a sync) drops it here at once and, in the same statement, sends a NOTIFY on
/// `CACHE_CHANNEL` that drops it in every other server process (see `PgCacheListener`). A process uses its cache
/// only while it holds a fresh *lease*: its own ping, sent through the same channel, came back within `leaseMs`.
/// Postgres delivers notifications in commit order, so a process holding the lease has applied every invalidation
/// committed before its last ping was sent: in the worst case (the listening connection stalls or drops) another
/// process accepts a revoked token for at most `leaseMs`; normally for the ~1 ms a notification takes. In this
/// process a revocation takes effect before the request that made it answers.
///
/// Lookups that race with an invalidation cannot put a stale copy back: a fill carries the `ticket()` taken before
/// its database read and is refused if its key (or everything) was invalidated since.
export const CACHE_CHANNEL = 'slipway_cache'

export interface LookupCacheOptions {
  /// How long an entry may serve at most, whatever the notifications say (a bound for changes made to the database
  /// by hand, outside the server).
  ttlMs: number
  maxEntries: number
  /// `undefined`: the cache is always usable (embedded PGlite: one process owns the data).
  leaseMs?: number
  now?: () => number
}

interface Entry {
  value: unknown
  expiresAt: number
}

export class LookupCache {
  private readonly entries = new Map<string, Entry>()
  /// Key → the ticket at which it was last invalidated; cleared now and then by raising `allInvalidatedAt`.
  private readonly invalidated = new Map<string, number>()
  private version = 0
  private allInvalidatedAt = 0
  private leaseUntil = -Infinity
  private readonly now: () => number

  constructor(private readonly options: LookupCacheOptions) {
    const origin = performance.timeOrigin
    this.now = options.now ?? (() => origin + performance.now())
  }

  /// Whether cached entries may be used right now.
  get live(): boolean {
    return this.options.leaseMs === undefined || this.now() < this.leaseUntil
  }

  /// Take before reading the database for a later `set`.
  ticket(): number {
    return this.version
  }

  get<T>(key: string): T | undefined {
    return this.getAt(key, this.now())
  }

  /// `get` as of `now` (a `now()` reading): several lookups for one request read the clock once.
  getAt<T>(key: string, now: number): T | undefined {
    if (this.options.leaseMs !== undefined && !(now < this.leaseUntil)) return undefined
    const e = this.entries.get(key)
    if (!e) return undefined
    if (e.expiresAt <= now) {
      this.entries.delete(key)
      return undefined
    }
    return e.value as T
  }

  /// The cache's clock (for `getAt`).
  time(): number {
    return this.now()
  }

  set(key: string, value: unknown, ticket: number): void {
    if (ticket < this.allInvalidatedAt || (this.invalidated.get(key) ?? -1) >= ticket) return
    this.entries.delete(key)
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs })
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
  }

  invalidate(key: string): void {
    this.entries.delete(key)
    this.invalidated.set(key, this.version++)
    // Old marks only matter to fills that started before them; forgetting them all refuses those fills instead.
    if (this.invalidated.size > 10_000) this.invalidateAll()
  }

  invalidateAll(): void {
    this.entries.clear()
    this.invalidated.clear()
    this.allInvalidatedAt = ++this.version
  }

  /// This process's own ping, sent at `sentAt` (same clock as `now`), came back through the channel.
  renewLease(sentAt: number): void {
    if (this.options.leaseMs !== undefined) this.leaseUntil = Math.max(this.leaseUntil, sentAt + this.options.leaseMs)
  }

  /// Stop using the cache until the next ping comes back (the listening connection was lost: notifications may
  /// have been missed).
  dropLease(): void {
    this.leaseUntil = -Infinity
    this.invalidateAll()
  }
}

export const sessionKey = (tokenHash: string) => `s:${tokenHash}`
export const projectKey = (projectId: string) => `p:${projectId}`
/// A project's id and owner: they change only when it is deleted, not at every sync.
export const ownershipKey = (projectId: string) => `o:${projectId}`

/// A share link by the hash of its id: its owner, project, latest version and revocation (not its view count).
export const shareLinkKey = (idHash: string) => `l:${idHash}`

/// Applies one notification from `CACHE_CHANNEL`: `s:<token hash>`, `p:<project id>` (changed), `o:<project id>`
/// (deleted), `l:<link id hash>` (published, revoked), or `ping:<process>:<sentAt>`.
export function applyNotification(cache: LookupCache, processId: string, payload: string): void {
  if (payload.startsWith('ping:')) {
    const [, from, sentAt] = payload.split(':')
    if (from === processId) cache.renewLease(Number(sentAt))
    return
  }
  cache.invalidate(payload)
  if (payload.startsWith('o:')) cache.invalidate(projectKey(payload.slice(2)))
}
