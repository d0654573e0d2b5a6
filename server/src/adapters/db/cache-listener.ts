import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import type { LookupCache } from './lookup-cache.ts'
import { CACHE_CHANNEL, applyNotification } from './lookup-cache.ts'

export interface CacheListenerOptions {
  /// How often this process pings itself through the channel (each ping that comes back renews the lease).
  pingMs: number
  /// With no ping back for this long, the listening connection is replaced.
  restartAfterMs: number
}

/// Keeps a `LookupCache` in step with every server process sharing the database: LISTENs on `CACHE_CHANNEL`, applies
/// invalidations, and pings itself so the cache is used only while notifications provably flow (see
/// lookup-cache.ts). Its own connections, so pings never wait behind request queries.
export class PgCacheListener {
  private readonly processId = randomUUID()
  private client: postgres.Sql | undefined
  private listenedAt = Infinity
  private lastPingBack = 0
  private readonly timer: NodeJS.Timeout
  private stopped = false

  constructor(
    private readonly url: string,
    private readonly cache: LookupCache,
    private readonly options: CacheListenerOptions,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {
    this.lastPingBack = this.now()
    this.connect()
    this.timer = setInterval(() => this.tick(), options.pingMs)
    this.timer.unref()
  }

  private connect(): void {
    const client = postgres(this.url, { max: 1, onnotice: () => {}, connect_timeout: 5, connection: { application_name: 'slipway-cache' } })
    this.client = client
    this.listenedAt = Infinity
    client
      .listen(
        CACHE_CHANNEL,
        (payload) => {
          if (client !== this.client) return
          if (payload.startsWith('ping:')) {
            // A ping sent before this connection's LISTEN finished proves nothing about what it may have missed.
            const sentAt = Number(payload.slice(payload.lastIndexOf(':') + 1))
            if (!(sentAt >= this.listenedAt)) return
            if (payload.startsWith(`ping:${this.processId}:`)) this.lastPingBack = this.now()
          }
          applyNotification(this.cache, this.processId, payload)
        },
        () => {
          // (Re)listening: whatever was sent while no LISTEN was in place is lost. Start over.
          if (client !== this.client) return
          this.cache.dropLease()
          this.listenedAt = this.now()
        },
      )
      .catch(() => {
        // Retried by `tick` once the lease has been gone for `restartAfterMs`.
      })
  }

  private tick(): void {
    if (this.stopped || !this.client) return
    if (this.now() - this.lastPingBack > this.options.restartAfterMs) {
      const old = this.client
      this.cache.dropLease()
      this.lastPingBack = this.now()
      void old.end({ timeout: 0 }).catch(() => {})
      this.connect()
      return
    }
    this.client.notify(CACHE_CHANNEL, `ping:${this.processId}:${this.now()}`).catch(() => {})
  }

  async close(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    this.cache.dropLease()
    await this.client?.end({ timeout: 2 })
  }
}
