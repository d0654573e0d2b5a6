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
/// the limit), and a client costs one write per `chunk` requests. A client's first request does not wait for that
/// write: it spends from the chunk being taken, and once the take answers, a refusal holds for its window. Bounded
/// by `maxKeys` clients.
export class LeasedRateLimiter {
  private readonly leases = new Map<string, { left: number; until: number; taking?: Promise<void> | undefined }>()
  /// Clients refused until this time, answered without a round trip.
  private readonly refused = new Map<string, number>()

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly chunk = 20,
    private readonly maxKeys = 10_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async take(rule: Required<Pick<RateRule, 'key' | 'windowMs' | 'limit'>>): Promise<RateDecision> {
    for (;;) {
      const t = this.clock.now().getTime()
      const refusedUntil = this.refused.get(rule.key)
      if (refusedUntil !== undefined) {
        if (t < refusedUntil) return { allowed: false, retryAfterMs: refusedUntil - t }
        this.refused.delete(rule.key)
      }
      let lease = this.leases.get(rule.key)
      // A client that spent a whole chunk within its window waits for the next one: only a client's first chunk of
      // a window is spent before the shared counter has answered.
      let wait = false
      if (lease && !lease.taking && (t >= lease.until || lease.left === 0)) {
        wait = t < lease.until
        this.leases.delete(rule.key)
        lease = undefined
      }
      if (!lease) {
        const size = Math.max(1, Math.min(this.chunk, rule.limit))
        lease = { left: size, until: t + rule.windowMs }
        const mine = lease
        mine.taking = this.takeChunk(rule, size, mine).finally(() => (mine.taking = undefined))
        this.remember(this.leases, rule.key, mine)
        if (wait) {
          await mine.taking
          continue
        }
      }
      if (lease.left > 0) {
        lease.left--
        return { allowed: true }
      }
      // Spent while its chunk is still being taken: wait for the answer, then look again.
      if (lease.taking) await lease.taking
    }
  }

  /// Takes `size` hits from the shared counter for `lease` (halving until a take fits, or one hit does not). What
  /// the lease spent beyond what was granted is over the limit by at most `chunk`; a refusal is remembered.
  private async takeChunk(rule: Required<Pick<RateRule, 'key' | 'windowMs' | 'limit'>>, size: number, lease: { left: number }) {
    try {
      const now = this.clock.now()
      let got = size
      let decision = await this.limiter.take([{ ...rule, hits: got }], now)
      while (!decision.allowed && got > 1) {
        got = Math.floor(got / 2)
        decision = await this.limiter.take([{ ...rule, hits: got }], now)
      }
      if (!decision.allowed) {
        lease.left = 0
        this.leases.delete(rule.key)
        this.remember(this.refused, rule.key, now.getTime() + decision.retryAfterMs)
        return
      }
      lease.left -= size - got
    } catch (err) {
      // The database is unreachable: reads go on from the lease rather than failing with it.
      this.onError(err)
    }
  }

  private remember<V>(map: Map<string, V>, key: string, value: V) {
    map.delete(key)
    map.set(key, value)
    if (map.size > this.maxKeys) map.delete(map.keys().next().value!)
  }
}
