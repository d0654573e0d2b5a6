import type { Clock, MaybePromise, RateDecision, RateLimiter } from '../ports.ts'

/// How often share links may be used. Publishing and forking count per account, exactly; reading a link (manifest,
/// blob, pack) counts per client address, in requests and in bytes served, generous for real viewing (opening a link
/// is two requests: the manifest and the pack; a viewer fetching blobs one by one still fits a 1,000-file project;
/// the largest version, 50 MiB, opens five times a minute) and bounded for anyone else: one address cannot make the
/// server send gigabytes a minute.
export const SHARE_RATES = {
  publishPerUser: { limit: 30, windowMs: 60_000 },
  forkPerUser: { limit: 20, windowMs: 60_000 },
  readsPerClient: { limit: 3_000, windowMs: 60_000 },
  readBytesPerClient: { limit: 256 * 1024 * 1024, windowMs: 60_000 },
} as const

export type ShareRates = { [K in keyof typeof SHARE_RATES]: { limit: number; windowMs: number } }

export interface BatchedRateLimiterOptions {
  /// How often what was counted here is added to the shared counters: one statement for every key counted meanwhile.
  flushMs: number
  /// How much of a key's limit (a fraction) this process may count beyond what the shared counter last confirmed
  /// before that key's next take waits for a flush.
  slack: number
  /// Keys kept; past it the oldest is forgotten (what it counted is still flushed; if it comes back, it starts again
  /// from the shared counter, within its slack).
  maxKeys: number
  onError: (err: unknown) => void
}

interface Meter {
  key: string
  windowMs: number
  /// When the key's window started, as the shared counter last said (or as this process first saw the key).
  windowStart: number
  /// The shared count as last read, every process's flushed hits included.
  shared: number
  /// Counted here, not yet sent; and sent, not yet answered.
  pending: number
  flushing: number
}

const ALLOWED: RateDecision = { allowed: true }

/// Per-client read limits that cost no database round trip per request. Each process counts a key's hits in memory
/// and adds them to the shared Postgres counter in batches (every `flushMs`, one statement for all keys counted
/// meanwhile), reading each key's shared total back. A take is allowed while the shared total as last read plus what
/// this process counted since is under the limit; its cost is counted after (a response larger than what is left
/// of a byte budget is served, and the next is refused). A key that counted `slack` × its limit here since the last
/// confirmed total waits for a flush before its next take, so across N processes a client gets at most N × slack ×
/// limit (plus one response each) past its limit; in one process the count is exact.
///
/// Bounded: `maxKeys` keys are remembered (the oldest are forgotten first, with no reordering per take; a forgotten
/// key starts again from the shared counter at its next flush), and once that many keys wait to be flushed, takes
/// wait for the flush.
export class BatchedRateLimiter {
  private readonly meters = new Map<string, Meter>()
  private readonly dirty = new Set<Meter>()
  private timer: ReturnType<typeof setTimeout> | undefined
  /// A flush asked for that has not started yet (callers share it), and the one running.
  private queued: Promise<void> | undefined
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly options: BatchedRateLimiterOptions,
  ) {
    if (!(options.slack > 0 && options.slack <= 1)) throw new RangeError(`slack must be in (0, 1] (got ${options.slack})`)
  }

  /// Allowed while `rule.key` has counted less than `rule.limit` in its window; then counts `cost` (0 checks only).
  take(rule: { key: string; limit: number; windowMs: number }, cost = 1): MaybePromise<RateDecision> {
    const t = this.clock.now().getTime()
    let m = this.meters.get(rule.key)
    if (m) {
      if (t >= m.windowStart + rule.windowMs) {
        m.windowStart = t
        m.shared = 0
        m.pending = 0
      }
    } else {
      m = { key: rule.key, windowMs: rule.windowMs, windowStart: t, shared: 0, pending: 0, flushing: 0 }
      this.meters.set(rule.key, m)
      if (this.meters.size > this.options.maxKeys) this.meters.delete(this.meters.keys().next().value!)
    }
    if (m.shared + m.pending + m.flushing >= rule.limit) return { allowed: false, retryAfterMs: Math.max(1, m.windowStart + rule.windowMs - t) }
    if (cost === 0) return ALLOWED
    const slack = Math.max(1, Math.floor(rule.limit * this.options.slack))
    if (m.pending + m.flushing >= slack || this.dirty.size >= this.options.maxKeys) return this.flush().then(() => this.take(rule, cost))
    m.pending += cost
    this.dirty.add(m)
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs)
    this.timer.unref?.()
    return ALLOWED
  }

  /// Sends what was counted so far; resolves once the answer is applied (never rejects: errors go to `onError`).
  flush(): Promise<void> {
    if (this.queued) return this.queued
    const next = this.running.then(() => {
      this.queued = undefined
      return this.send()
    })
    this.queued = next
    this.running = next.catch(() => {})
    return next
  }

  /// Keys remembered now.
  get size(): number {
    return this.meters.size
  }

  private async send(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.dirty.size === 0) return
    const batch = [...this.dirty].map((m) => ({ m, hits: m.pending }))
    this.dirty.clear()
    for (const { m, hits } of batch) {
      m.flushing += hits
      m.pending = 0
    }
    const now = this.clock.now()
    const byWindow = new Map<number, typeof batch>()
    for (const b of batch) {
      const group = byWindow.get(b.m.windowMs)
      if (group) group.push(b)
      else byWindow.set(b.m.windowMs, [b])
    }
    for (const [windowMs, group] of byWindow) {
      for (let i = 0; i < group.length; i += 1000) {
        const part = group.slice(i, i + 1000)
        try {
          const rows = await this.limiter.add(
            part.map(({ m, hits }) => ({ key: m.key, hits })),
            windowMs,
            now,
          )
          const byKey = new Map(rows.map((r) => [r.key, r]))
          for (const { m, hits } of part) {
            m.flushing -= hits
            const row = byKey.get(m.key)
            if (row) {
              m.shared = row.count
              m.windowStart = row.windowStart.getTime()
            } else m.shared += hits
          }
        } catch (err) {
          // The database is unreachable: the count goes on here rather than failing reads with it.
          for (const { m, hits } of part) {
            m.flushing -= hits
            m.shared += hits
          }
          this.options.onError(err)
        }
      }
    }
  }
}
