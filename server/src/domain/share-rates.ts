import type { Clock, RateDecision, RateLimiter, RateRule } from '../ports.ts'

/// How often share links may be used. Publishing and forking count per account, exactly; reading a link (manifest,
/// blob, pack) counts per client address, generous for real viewing (opening a link is two requests: the manifest
/// and the pack; a viewer fetching blobs one by one still fits a 1,000-file project).
export const SHARE_RATES = {
  publishPerUser: { limit: 30, windowMs: 60_000 },
  forkPerUser: { limit: 20, windowMs: 60_000 },
  readsPerClient: { limit: 3_000, windowMs: 60_000 },
} as const

export type ShareRates = { [K in keyof typeof SHARE_RATES]: { limit: number; windowMs: number } }

/// Reads would cost a database write each if every one were counted in Postgres on its own. Instead each process
/// takes `chunk` hits at once from the shared counter and spends them locally until they run out or their window
/// ends: the count stays shared across processes (a client gets at most `chunk` more per process and window than
/// the limit), and a busy link costs one write per `chunk` requests of each client. Bounded by `maxKeys`.
export class LeasedRateLimiter {
  private readonly leases = new Map<string, { left: number; until: number }>()
  /// Clients refused until this time, answered without a round trip.
  private readonly refused = new Map<string, number>()

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly chunk = 20,
    private readonly maxKeys = 10_000,
  ) {}

  async take(rule: Required<Pick<RateRule, 'key' | 'windowMs' | 'limit'>>): Promise<RateDecision> {
    const now = this.clock.now()
    const t = now.getTime()
    const refusedUntil = this.refused.get(rule.key)
    if (refusedUntil !== undefined) {
      if (t < refusedUntil) return { allowed: false, retryAfterMs: refusedUntil - t }
      this.refused.delete(rule.key)
    }
    const lease = this.leases.get(rule.key)
    if (lease && lease.left > 0 && t < lease.until) {
      lease.left--
      return { allowed: true }
    }
    this.leases.delete(rule.key)
    const hits = Math.max(1, Math.min(this.chunk, rule.limit))
    let decision = await this.limiter.take([{ ...rule, hits }], now)
    let got = hits
    // Fewer than a chunk may still fit in the window.
    if (!decision.allowed && hits > 1) {
      decision = await this.limiter.take([{ ...rule, hits: 1 }], now)
      got = 1
    }
    if (!decision.allowed) {
      this.remember(this.refused, rule.key, t + decision.retryAfterMs)
      return decision
    }
    if (got > 1) this.remember(this.leases, rule.key, { left: got - 1, until: t + rule.windowMs })
    return decision
  }

  private remember<V>(map: Map<string, V>, key: string, value: V) {
    map.delete(key)
    map.set(key, value)
    if (map.size > this.maxKeys) map.delete(map.keys().next().value!)
  }
}
