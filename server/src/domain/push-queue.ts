/// Most pushes merged into one transaction.
export const MAX_BATCH = 64

/// What committing a batch came to: each push's own result, in the batch's order, or `split` when the batch as a
/// whole broke a limit that its pushes one at a time might not (nothing of it was stored): each is then committed
/// alone. A batch of one is never split.
export type BatchOutcome<R> = { split: true } | { split: false; results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> }

/// Commits a batch of one key's items in one transaction. It calls `take` exactly once, when it is ready for the
/// batch (holding the key's lock), and gets the items queued by then; throwing before that fails those items.
export type CommitBatch<P, R> = (key: string, take: () => P[]) => Promise<BatchOutcome<R>>

interface Waiting<P, R> {
  item: P
  resolve: (result: R) => void
  reject: (err: unknown) => void
}

interface KeyQueue<P, R> {
  pending: Array<Waiting<P, R>>
  /// A transaction has been started and has not taken its batch yet.
  waiting: boolean
  /// Transactions started and not finished (waiting or running).
  inFlight: number
}

/// Group commit per key (a project): items that arrive while a key's transaction runs wait here and go into the
/// next transaction together, so many pushes cost one lock, one log row and one commit. That next transaction
/// starts as soon as something is queued and waits for the key's lock (in the database) while the running one works;
/// it takes its batch (everything queued by then, up to `maxBatch`) once it holds the lock. So a batch's BEGIN and
/// lock round trips overlap the previous batch instead of following its commit.
export class PushQueue<P, R> {
  private readonly queues = new Map<string, KeyQueue<P, R>>()

  constructor(
    private readonly commit: CommitBatch<P, R>,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /// Queues `item` for `key`'s next transaction; settles with its own result.
  push(key: string, item: P): Promise<R> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(key)
      if (!queue) {
        queue = { pending: [], waiting: false, inFlight: 0 }
        this.queues.set(key, queue)
      }
      queue.pending.push({ item, resolve, reject })
      this.schedule(key, queue)
    })
  }

  /// Keys with items queued or a transaction in flight.
  get busyKeys(): number {
    return this.queues.size
  }

  /// Starts a transaction for the queued items unless one is already waiting to take them.
  private schedule(key: string, queue: KeyQueue<P, R>): void {
    if (queue.waiting || queue.pending.length === 0) return
    queue.waiting = true
    queue.inFlight++
    let taken: Array<Waiting<P, R>> | undefined
    const take = () => {
      if (taken) throw new RangeError(`A batch of ${key} was taken twice`)
      queue.waiting = false
      taken = queue.pending.splice(0, this.maxBatch)
      // The next transaction waits for this one's lock meanwhile.
      this.schedule(key, queue)
      return taken
    }
    void this.run(key, take, () => taken).finally(() => {
      queue.inFlight--
      if (queue.inFlight === 0 && queue.pending.length === 0 && this.queues.get(key) === queue) this.queues.delete(key)
    })
  }

  private async run(key: string, take: () => Array<Waiting<P, R>>, taken: () => Array<Waiting<P, R>> | undefined): Promise<void> {
    let outcome: BatchOutcome<R>
    try {
      outcome = await this.commit(key, () => take().map((w) => w.item))
    } catch (err) {
      // Failed before taking a batch (no lock, no project): the items it would have taken fail with it.
      for (const w of taken() ?? take()) w.reject(err)
      return
    }
    const batch = taken() ?? []
    if (!outcome.split) {
      batch.forEach((w, i) => {
        const r = outcome.results[i]
        if (r?.ok) w.resolve(r.value)
        else w.reject(r ? r.error : new RangeError(`The commit of ${key} answered ${outcome.results.length} results for ${batch.length} items`))
      })
      return
    }
    if (batch.length < 2) {
      for (const w of batch) w.reject(new RangeError(`A batch of ${batch.length} of ${key} cannot be split`))
      return
    }
    for (const w of batch) {
      try {
        const alone = await this.commit(key, () => [w.item])
        const r = alone.split ? undefined : alone.results[0]
        if (r?.ok) w.resolve(r.value)
        else w.reject(r ? r.error : new RangeError(`A batch of one of ${key} was split`))
      } catch (err) {
        w.reject(err)
      }
    }
  }
}
