/// Pure helpers of the editor tab bar: labels that tell same-named files apart, drop positions when reordering,
/// and cycling through tabs.
import { baseName, parentOf } from '../../core/workspace/fileTree.ts'

export interface TabLabel {
  name: string
  /// Shown dimmed after the name when another open tab has the same name: the shortest distinguishing folder suffix.
  description?: string
}

export function tabLabels(paths: readonly string[]): Map<string, TabLabel> {
  const byName = new Map<string, string[]>()
  for (const p of paths) {
    const name = baseName(p)
    byName.set(name, [...(byName.get(name) ?? []), p])
  }
  const out = new Map<string, TabLabel>()
  for (const [name, group] of byName) {
    if (group.length === 1) {
      out.set(group[0]!, { name })
      continue
    }
    const dirs = group.map((p) => (parentOf(p) ? parentOf(p).split('/') : []))
    const longest = Math.max(...dirs.map((d) => d.length))
    group.forEach((path, i) => {
      const own = dirs[i]!
      let description = own.join('/') || '/'
      for (let k = 1; k <= longest; k++) {
        const suffix = own.slice(-k).join('/')
        const unique = dirs.every((d, j) => j === i || d.slice(-k).join('/') !== suffix)
        if (unique) {
          description = own.length === 0 ? '/' : k < own.length ? `…/${suffix}` : suffix
          break
        }
      }
      out.set(path, { name, description })
    })
  }
  return out
}

/// The `toIndex` of a `move-tab` command when the tab at `from` is dropped on the tab at `over`, before or after
/// its middle. `move-tab` removes the tab first, then inserts it at `toIndex`.
export function dropIndex(from: number, over: number, after: boolean): number {
  const target = over + (after ? 1 : 0)
  return target > from ? target - 1 : target
}

/// The tab `delta` steps away from `active`, wrapping around.
export function neighbourTab(tabs: readonly string[], active: string | undefined, delta: number): string | undefined {
  if (!tabs.length) return undefined
  const i = active ? tabs.indexOf(active) : -1
  const n = tabs.length
  return tabs[(((i < 0 ? 0 : i + delta) % n) + n) % n]
}
