/// A value that changes over time, read by React through `useSyncExternalStore`. State is replaced, never mutated:
/// `update` takes the old state and returns the new one, so snapshots stay stable between changes.
export class Store<S> {
  private readonly listeners = new Set<() => void>()

  constructor(private state: S) {}

  get = (): S => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  update(fn: (state: S) => S): void {
    const next = fn(this.state)
    if (next === this.state) return
    this.state = next
    for (const l of [...this.listeners]) l()
  }
}

/// Cleanups collected by whoever set things up; `dispose` runs them newest first, once.
export class DisposableStore {
  private readonly cleanups: Array<() => void> = []
  private disposed = false

  add(cleanup: (() => void) | { dispose(): void }): void {
    const fn = typeof cleanup === 'function' ? cleanup : () => cleanup.dispose()
    if (this.disposed) fn()
    else this.cleanups.push(fn)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    for (const fn of this.cleanups.reverse()) {
      try {
        fn()
      } catch (err) {
        console.error('cleanup failed', err)
      }
    }
  }
}
