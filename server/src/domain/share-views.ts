import type { ShareRepo } from '../ports.ts'

/// Counts views in memory and writes them at most once per `flushMs` per process (one statement for every link
/// viewed meanwhile), so a link under load costs no write per view.
export class ViewCounter {
  private pending = new Map<string, { count: number; at: Date }>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private flushing: Promise<void> = Promise.resolve()
  constructor(
    private readonly repo: ShareRepo,
    private readonly flushMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}
  add(pk: string, at: Date) {
    const p = this.pending.get(pk)
    if (p) {
      p.count++
      p.at = at
    } else if (this.pending.size < 100_000) this.pending.set(pk, { count: 1, at })
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs)
    this.timer.unref?.()
  }
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const batch = [...this.pending].map(([pk, v]) => ({ pk, ...v }))
    this.pending = new Map()
    if (batch.length) this.flushing = this.flushing.then(() => this.repo.addViews(batch)).catch(this.onError)
    return this.flushing
  }
}
