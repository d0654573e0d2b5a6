/// Pure keyboard handling of the file tree (WAI-ARIA tree pattern, VS Code keys): given the visible rows, the
/// focused row and a key, what to do. The component performs the returned action.
import type { Row, TreeRow } from './treeRows.ts'

export type TreeAction =
  | { type: 'focus'; path: string }
  | { type: 'expand'; path: string }
  | { type: 'collapse'; path: string }
  | { type: 'open'; path: string }
  | { type: 'toggle'; path: string }
  | { type: 'rename'; path: string }
  | { type: 'delete'; path: string }
  | { type: 'menu'; path: string }
  | { type: 'none' }

export interface KeyInput {
  key: string
  shiftKey?: boolean
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
}

const PAGE = 10
const none: TreeAction = { type: 'none' }

export function treeKey(rows: readonly Row[], focused: string | undefined, input: KeyInput): TreeAction {
  const nodes = rows.filter((r): r is TreeRow => r.type === 'node')
  if (!nodes.length) return none
  const index = focused === undefined ? -1 : nodes.findIndex((r) => r.path === focused)
  const row = nodes[index]
  const focusAt = (i: number): TreeAction => {
    const target = nodes[Math.max(0, Math.min(nodes.length - 1, i))]!
    return target.path === focused ? none : { type: 'focus', path: target.path }
  }
  const mod = input.ctrlKey || input.metaKey || input.altKey

  switch (input.key) {
    case 'ArrowDown':
      return focusAt(index + 1)
    case 'ArrowUp':
      return focusAt(index < 0 ? 0 : index - 1)
    case 'Home':
      return focusAt(0)
    case 'End':
      return focusAt(nodes.length - 1)
    case 'PageDown':
      return focusAt(index + PAGE)
    case 'PageUp':
      return focusAt(index - PAGE)
  }
  if (!row) return input.key.length === 1 && !mod ? typeAhead(nodes, -1, input.key) : none

  switch (input.key) {
    case 'ArrowRight':
      if (row.kind !== 'folder') return none
      if (!row.expanded) return { type: 'expand', path: row.path }
      return nodes[index + 1]?.parent === row.path ? { type: 'focus', path: nodes[index + 1]!.path } : none
    case 'ArrowLeft':
      if (row.kind === 'folder' && row.expanded) return { type: 'collapse', path: row.path }
      return row.parent && nodes.some((r) => r.path === row.parent) ? { type: 'focus', path: row.parent } : none
    case 'Enter':
    case ' ':
      return row.kind === 'folder' ? { type: 'toggle', path: row.path } : row.readonly ? none : { type: 'open', path: row.path }
    case 'F2':
      return row.readonly ? none : { type: 'rename', path: row.path }
    case 'Delete':
      return row.readonly ? none : { type: 'delete', path: row.path }
    case 'Backspace':
      // ⌘⌫ on a Mac, as in Finder and VS Code.
      return input.metaKey && !row.readonly ? { type: 'delete', path: row.path } : none
    case 'ContextMenu':
      return { type: 'menu', path: row.path }
    case 'F10':
      return input.shiftKey ? { type: 'menu', path: row.path } : none
  }
  if (input.key.length === 1 && !mod) return typeAhead(nodes, index, input.key)
  return none
}

/// Jumps to the next row (after the focused one, wrapping) whose name starts with `ch`.
function typeAhead(nodes: readonly TreeRow[], from: number, ch: string): TreeAction {
  const c = ch.toLowerCase()
  for (let step = 1; step <= nodes.length; step++) {
    const row = nodes[(from + step + nodes.length) % nodes.length]!
    if (row.name.toLowerCase().startsWith(c)) return row.path === nodes[from]?.path ? none : { type: 'focus', path: row.path }
  }
  return none
}
