import { useSyncExternalStore } from 'react'
import type { Store } from '../../core/store.ts'

/// Reads a core Store; re-renders when it changes. Select a slice to re-render less.
export function useStore<S>(store: Store<S>): S
export function useStore<S, T>(store: Store<S>, select: (s: S) => T): T
export function useStore<S, T>(store: Store<S>, select?: (s: S) => T): S | T {
  const snapshot = useSyncExternalStore(store.subscribe, store.get, store.get)
  return select ? select(snapshot) : snapshot
}
