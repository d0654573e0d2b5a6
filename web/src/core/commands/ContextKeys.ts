import type { Context, ContextValue } from './when.ts'

/// The context `when` clauses read: what has focus, what is open. The UI keeps it up to date; keybindings and the
/// command palette only read it. A key is either provided (a value, or a function read at the moment it is asked,
/// so focus is never stale) or claimed (true while at least one claim is held: two dialogs open, one closes, still
/// open).
export class ContextKeys implements Context {
  private readonly providers = new Map<string, Array<{ read: () => ContextValue }>>()
  private readonly claims = new Map<string, number>()

  /// `key` reads `value` (called each time, if a function) until the returned function is called. A later provider
  /// of the same key hides an earlier one while it lasts.
  provide(key: string, value: ContextValue | (() => ContextValue)): () => void {
    const entry = { read: typeof value === 'function' ? value : () => value }
    const list = this.providers.get(key) ?? []
    list.push(entry)
    this.providers.set(key, list)
    return () => {
      const now = this.providers.get(key)
      const i = now?.indexOf(entry) ?? -1
      if (i < 0) return
      now!.splice(i, 1)
      if (!now!.length) this.providers.delete(key)
    }
  }

  /// `key` reads true until the returned function is called (calling it again does nothing).
  claim(key: string): () => void {
    this.claims.set(key, (this.claims.get(key) ?? 0) + 1)
    let held = true
    return () => {
      if (!held) return
      held = false
      const n = (this.claims.get(key) ?? 1) - 1
      if (n > 0) this.claims.set(key, n)
      else this.claims.delete(key)
    }
  }

  get(key: string): ContextValue {
    if (this.claims.has(key)) return true
    const list = this.providers.get(key)
    return list?.length ? list[list.length - 1]!.read() : undefined
  }

  /// Every key's value now, kept: the command palette decides what applies from where focus was when it opened.
  snapshot(): Context {
    const values = new Map<string, ContextValue>()
    for (const key of new Set([...this.providers.keys(), ...this.claims.keys()])) values.set(key, this.get(key))
    return { get: (key) => values.get(key) }
  }
}
