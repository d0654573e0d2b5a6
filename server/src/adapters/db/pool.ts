import postgres from 'postgres'

/// A thenable query that runs when first awaited; `.values()` asks for rows as arrays (what drizzle uses).
class PooledQuery implements PromiseLike<unknown> {
  private asValues = false
  private running: Promise<unknown> | undefined

  constructor(private readonly run: (asValues: boolean) => Promise<unknown>) {}

  values(): this {
    this.asValues = true
    return this
  }

  then<A = unknown, B = never>(ok?: ((v: unknown) => A | PromiseLike<A>) | null, err?: ((e: unknown) => B | PromiseLike<B>) | null) {
    this.running ??= this.run(this.asValues)
    return this.running.then(ok, err)
  }
}

/// A transaction keeps its connection to itself until it ends: queries avoid such a client while another is free.
const TRANSACTION_WEIGHT = 1000

/// `size` postgres.js clients of ONE connection each, behind the part of `postgres.Sql` drizzle uses (`unsafe`,
/// `unsafe().values()`, `begin`, `options`, `end`). Each query goes to the least busy client.
///
/// Why not one postgres.js client with `max: size`: its pool keeps busy connections in a queue whose backing array
/// only shrinks when the queue runs empty, and every query does an `indexOf` over it. Under steady load some
/// connection is always busy, so the array grows by one slot per query and the scan with it: in the sync bench a
/// quarter of the server's CPU went to `Queue.remove` after ten seconds (postgres 3.4.9, src/queue.js). With one
/// connection per client that queue never holds more than one entry.
export function singleConnectionPool(url: string, options: postgres.Options<Record<string, never>>, size: number): postgres.Sql {
  if (!(size >= 1)) throw new RangeError(`pool size must be at least 1 (got ${size})`)
  const clients = Array.from({ length: size }, () => ({ sql: postgres(url, { ...options, max: 1 }), load: 0 }))
  let next = 0
  const pick = () => {
    // Least loaded; ties go round-robin so idle connections share the work.
    let best = clients[next]!
    for (let i = 1; i < clients.length; i++) {
      const c = clients[(next + i) % clients.length]!
      if (c.load < best.load) best = c
    }
    next = (next + 1) % clients.length
    return best
  }
  const using = async <T>(weight: number, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
    const c = pick()
    c.load += weight
    try {
      return await fn(c.sql)
    } finally {
      c.load -= weight
    }
  }
  // drizzle installs its own parsers and serializers on `options`: every client needs them.
  const first = clients[0]!.sql.options
  const fanOut = <K extends 'parsers' | 'serializers'>(key: K) =>
    new Proxy(first[key], {
      set(_target, prop, value) {
        for (const c of clients) (c.sql.options[key] as Record<string | symbol, unknown>)[prop] = value
        return true
      },
    })
  const sharedOptions = { ...first, parsers: fanOut('parsers'), serializers: fanOut('serializers') }

  const pool = {
    options: sharedOptions,
    unsafe: (query: string, params?: unknown[], opts?: postgres.UnsafeQueryOptions) =>
      new PooledQuery((asValues) =>
        using(1, (sql) => {
          const q = sql.unsafe(query, params as never, opts)
          return asValues ? q.values() : q
        }),
      ),
    begin: (...args: unknown[]) => using(TRANSACTION_WEIGHT, (sql) => (sql.begin as (...a: unknown[]) => Promise<unknown>)(...args)),
    end: async (opts?: { timeout?: number }) => {
      await Promise.all(clients.map((c) => c.sql.end(opts)))
    },
  }
  return pool as unknown as postgres.Sql
}
