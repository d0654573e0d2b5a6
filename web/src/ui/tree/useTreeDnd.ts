import { useCallback, useRef, useState } from 'react'
import type { DragEvent } from 'react'
import { planDrop, type TreeRow } from './treeRows.ts'

const PATH_MIME = 'application/x-slipway-path'
const HOVER_EXPAND_MS = 700

/// Drag and drop of tree rows onto folders (a file's row means its folder) or the empty area (the root, `''`).
/// Hovering a collapsed folder expands it so a drop can go deeper. `move` runs the plan from `planDrop`.
export function useTreeDnd({ byPath, expand, move }: { byPath: ReadonlyMap<string, TreeRow>; expand: (row: TreeRow) => void; move: (from: string, to: string) => void }) {
  const [dropTarget, setDropTarget] = useState<string | undefined>()
  const dragging = useRef<string | undefined>(undefined)
  const hover = useRef<{ path: string; timer: ReturnType<typeof setTimeout> } | undefined>(undefined)

  const end = useCallback(() => {
    dragging.current = undefined
    clearTimeout(hover.current?.timer)
    hover.current = undefined
    setDropTarget(undefined)
  }, [])

  const start = (e: DragEvent, path: string) => {
    dragging.current = path
    e.dataTransfer.effectAllowed = 'move'
    e.dataTransfer.setData(PATH_MIME, path)
    e.dataTransfer.setData('text/plain', path)
  }

  /// `folder` undefined: not a drop target (read-only rows).
  const over = (e: DragEvent, folder: string | undefined) => {
    const from = dragging.current
    if (!from || folder === undefined || planDrop(from, folder) === undefined) {
      if (dropTarget !== undefined) setDropTarget(undefined)
      return
    }
    e.preventDefault()
    e.stopPropagation()
    e.dataTransfer.dropEffect = 'move'
    if (dropTarget !== folder) setDropTarget(folder)
    const row = byPath.get(folder)
    if (row && row.kind === 'folder' && !row.expanded && hover.current?.path !== folder) {
      clearTimeout(hover.current?.timer)
      hover.current = { path: folder, timer: setTimeout(() => expand(row), HOVER_EXPAND_MS) }
    }
  }

  const drop = (e: DragEvent, folder: string | undefined) => {
    const from = dragging.current
    end()
    if (!from || folder === undefined) return
    const to = planDrop(from, folder)
    if (!to) return
    e.preventDefault()
    e.stopPropagation()
    move(from, to)
  }

  const leave = (e: DragEvent) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropTarget(undefined)
  }

  /// Rows shown as inside the current drop target (the folder and what is visible under it).
  const isInside = (path: string) => dropTarget !== undefined && dropTarget !== '' && (path === dropTarget || path.startsWith(dropTarget + '/'))

  return { dropTarget, start, over, drop, end, leave, isInside }
}
