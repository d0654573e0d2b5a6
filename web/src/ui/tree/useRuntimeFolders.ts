import { IGNORED_DIRS } from '@slipway/shared'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { RuntimeEntry, RuntimeView } from './treeRows.ts'

export type ListRuntimeDir = (path: string) => Promise<RuntimeEntry[]>

const POLL_MS = 5000
const ROOT = '.'

/// Folders that exist only in the runtime (node_modules, .git, dist, …): which ones the project root has (polled,
/// since `npm install` creates node_modules behind the doc's back), and lazily fetched listings of the expanded
/// ones. Everything here is read-only.
export function useRuntimeFolders(list: ListRuntimeDir | undefined): {
  view: RuntimeView
  toggle: (path: string, open?: boolean) => void
  refresh: () => void
} {
  const [rootDirs, setRootDirs] = useState<readonly string[]>([])
  const [listings, setListings] = useState<ReadonlyMap<string, readonly RuntimeEntry[] | undefined>>(new Map())
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const busy = useRef(false)
  const alive = useRef(true)

  const pollRoot = useCallback(async () => {
    if (!list || busy.current || (typeof document !== 'undefined' && document.hidden)) return
    busy.current = true
    try {
      const entries = await list(ROOT)
      if (!alive.current) return
      const names = entries
        .filter((e) => e.kind === 'directory' && (IGNORED_DIRS as readonly string[]).includes(e.name))
        .map((e) => e.name)
        .sort()
      setRootDirs((prev) => (prev.join('/') === names.join('/') ? prev : names))
    } catch {
      // The runtime is not up (or went away): show nothing runtime-only.
    } finally {
      busy.current = false
    }
  }, [list])

  const load = useCallback(
    async (path: string) => {
      if (!list) return
      setListings((m) => new Map(m).set(path, m.get(path)))
      try {
        const entries = await list(path)
        if (alive.current) setListings((m) => new Map(m).set(path, entries))
      } catch {
        if (alive.current) setListings((m) => new Map(m).set(path, []))
      }
    },
    [list],
  )

  useEffect(() => {
    alive.current = true
    void pollRoot()
    const t = setInterval(() => void pollRoot(), POLL_MS)
    return () => {
      alive.current = false
      clearInterval(t)
    }
  }, [pollRoot])

  const expandedRef = useRef(expanded)
  expandedRef.current = expanded
  const toggle = useCallback(
    (path: string, open?: boolean) => {
      const current = expandedRef.current
      const willOpen = open ?? !current.has(path)
      if (willOpen === current.has(path)) return
      const next = new Set(current)
      if (willOpen) next.add(path)
      else next.delete(path)
      expandedRef.current = next
      setExpanded(next)
      // A fresh listing on every expand: an install may have changed it.
      if (willOpen) void load(path)
    },
    [load],
  )

  const refresh = useCallback(() => {
    void pollRoot()
    for (const path of expanded) void load(path)
  }, [pollRoot, load, expanded])

  return { view: { rootDirs, listings, expanded }, toggle, refresh }
}
