import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent, PointerEvent as ReactPointerEvent } from 'react'
import { baseName, parentOf, pathsUnder } from '../../core/workspace/fileTree.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { useEditorController } from '../editor/editorControllerContext.tsx'
import { useStore } from '../hooks/useStore.ts'
import { ConfirmDialog } from './ConfirmDialog.tsx'
import type { FileTreeProps } from './FileTree.tsx'
import { ContextMenu, type MenuItem } from './ContextMenu.tsx'
import { FileIcon } from './FileIcon.tsx'
import { fileIconFor, folderIcon } from './fileIcons.ts'
import { treeKey } from './treeKeys.ts'
import { DraftInput, Guides, INDENT, RenameInput, ToolbarButton } from './treeParts.tsx'
import { createTarget, dropFolder, planDrop, renameTarget, visibleRows, type TreeRow } from './treeRows.ts'
import { useRuntimeFolders } from './useRuntimeFolders.ts'
import { useTreeDnd } from './useTreeDnd.ts'
import './tree.css'
import { useFocusContext } from '../commands/hooks.ts'


const LONG_PRESS_MS = 500

type Menu = { x: number; y: number; path: string | undefined }
type Edit = { mode: 'draft'; kind: 'file' | 'folder'; parent: string } | { mode: 'rename'; path: string }

/// The file tree's implementation; FileTree.tsx holds the props and the contract.
export function FileTreeView({ workspace, runtimeDirs, onOpen, readOnly = false }: FileTreeProps) {
  const tree = useStore(workspace.store, (s) => s.tree)
  const expandedList = useStore(workspace.store, (s) => s.expanded)
  const activeTab = useStore(workspace.store, (s) => s.activeTab)
  const expanded = useMemo(() => new Set(expandedList), [expandedList])
  const runtime = useRuntimeFolders(runtimeDirs)
  const editor = useEditorController()

  const [focused, setFocused] = useState<string | undefined>()
  const [edit, setEdit] = useState<Edit | undefined>()
  const [menu, setMenu] = useState<Menu | undefined>()
  const [confirm, setConfirm] = useState<string | undefined>()
  const [notice, setNotice] = useState<string | undefined>()
  const bodyRef = useRef<HTMLDivElement>(null)
  useFocusContext(bodyRef, 'treeFocus')
  const pendingFocus = useRef<string | undefined>(undefined)
  const longPress = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number; fired: boolean } | undefined>(undefined)

  const draft = edit?.mode === 'draft' ? { kind: edit.kind, parent: edit.parent } : undefined
  const rows = useMemo(() => visibleRows({ tree, expanded, runtime: runtime.view, ...(draft ? { draft } : {}) }), [tree, expanded, runtime.view, draft?.kind, draft?.parent])
  const nodes = useMemo(() => rows.filter((r): r is TreeRow => r.type === 'node'), [rows])
  const byPath = useMemo(() => new Map(nodes.map((r) => [r.path, r])), [nodes])
  // The roving tabindex: the focused row, else the active file, else the first row.
  const tabStop = (focused && byPath.has(focused) ? focused : activeTab && byPath.has(activeTab) ? activeTab : nodes[0]?.path) ?? undefined

  useEffect(() => {
    if (!notice) return
    const t = setTimeout(() => setNotice(undefined), 6000)
    return () => clearTimeout(t)
  }, [notice])

  // Focus requested by a keyboard action lands once the row is rendered.
  useLayoutEffect(() => {
    const path = pendingFocus.current
    if (path === undefined) return
    const el = rowElement(bodyRef.current, path)
    if (el) {
      pendingFocus.current = undefined
      el.focus()
    }
  })

  // The active file is scrolled into view (its folders were expanded by `open`).
  useEffect(() => {
    if (!activeTab) return
    const el = rowElement(bodyRef.current, activeTab)
    if (el && !bodyRef.current?.contains(document.activeElement)) el.scrollIntoView({ block: 'nearest' })
  }, [activeTab])

  const focusRow = useCallback((path: string) => {
    setFocused(path)
    pendingFocus.current = path
  }, [])

  const open = useCallback(
    (path: string, focusEditor: boolean) => {
      if (onOpen) onOpen(path)
      else workspace.dispatch({ type: 'open', path })
      if (focusEditor) editor.focus()
    },
    [onOpen, workspace, editor],
  )

  const toggle = useCallback(
    (row: TreeRow, open?: boolean) => {
      if (row.readonly) runtime.toggle(row.path, open)
      else workspace.dispatch({ type: 'toggle-folder', path: row.path, ...(open === undefined ? {} : { expanded: open }) })
    },
    [runtime, workspace],
  )

  /// The folder new files go into: the row's folder, or the root.
  const targetFolder = (path: string | undefined): string => {
    const row = path === undefined ? undefined : byPath.get(path)
    if (!row || row.readonly) return ''
    return row.kind === 'folder' ? row.path : row.parent
  }

  const startCreate = (kind: 'file' | 'folder', parent: string) => {
    setMenu(undefined)
    if (parent) workspace.dispatch({ type: 'toggle-folder', path: parent, expanded: true })
    setEdit({ mode: 'draft', kind, parent })
  }

  const startRename = (path: string) => {
    setMenu(undefined)
    setEdit({ mode: 'rename', path })
  }

  const askDelete = (path: string) => {
    setMenu(undefined)
    setConfirm(path)
  }

  const doDelete = (path: string) => {
    const index = nodes.findIndex((r) => r.path === path)
    const result = workspace.dispatch({ type: 'delete', path })
    setConfirm(undefined)
    if (!result.ok) {
      setNotice(result.message)
      return
    }
    const next = nodes.slice(index + 1).find((r) => r.path !== path && !r.path.startsWith(path + '/')) ?? nodes[index - 1]
    if (next) focusRow(next.path)
  }

  const copyPath = (path: string) => {
    setMenu(undefined)
    void navigator.clipboard?.writeText(path).then(
      () => setNotice(`Copied ${path}`),
      () => setNotice('The browser did not allow copying to the clipboard'),
    )
    if (byPath.has(path)) focusRow(path)
  }

  const openMenuFor = (path: string | undefined, x: number, y: number) => {
    if (readOnly && !path) return
    if (path) setFocused(path)
    setMenu({ x, y, path })
  }

  const menuAtRow = (path: string) => {
    const el = rowElement(bodyRef.current, path)
    const r = el?.getBoundingClientRect()
    openMenuFor(path, r ? r.left + 24 : 0, r ? r.bottom : 0)
  }

  const closeMenu = useCallback(() => {
    setMenu((m) => {
      if (m?.path) pendingFocus.current = m.path
      return undefined
    })
  }, [])

  const menuItems = (path: string | undefined): MenuItem[] => {
    const row = path === undefined ? undefined : byPath.get(path)
    if (readOnly) return row ? [{ id: 'copy-path', label: 'Copy Path', run: () => copyPath(row.path) }] : []
    if (row?.readonly) return [{ id: 'copy-path', label: 'Copy Path', run: () => copyPath(row.path) }]
    const folder = targetFolder(path)
    const items: MenuItem[] = [
      { id: 'new-file', label: 'New File…', run: () => startCreate('file', folder) },
      { id: 'new-folder', label: 'New Folder…', run: () => startCreate('folder', folder) },
    ]
    if (row) {
      items.push(
        { id: 'rename', label: 'Rename…', keys: 'F2', separated: true, run: () => startRename(row.path) },
        { id: 'delete', label: 'Delete', keys: 'Del', danger: true, run: () => askDelete(row.path) },
        { id: 'copy-path', label: 'Copy Path', separated: true, run: () => copyPath(row.path) },
      )
    }
    return items
  }

  const onTreeKeyDown = (e: ReactKeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement) return
    const action = treeKey(rows, tabStop, e)
    if (action.type === 'none') return
    e.preventDefault()
    const row = 'path' in action ? byPath.get(action.path) : undefined
    switch (action.type) {
      case 'focus':
        return focusRow(action.path)
      case 'expand':
        return row && toggle(row, true)
      case 'collapse':
        return row && toggle(row, false)
      case 'toggle':
        return row && toggle(row)
      case 'open':
        return open(action.path, e.key === 'Enter')
      case 'rename':
        return readOnly ? undefined : startRename(action.path)
      case 'delete':
        return readOnly ? undefined : askDelete(action.path)
      case 'menu':
        return menuAtRow(action.path)
    }
  }

  // --- pointer

  const onRowClick = (e: ReactMouseEvent, row: TreeRow) => {
    if (longPress.current?.fired) {
      longPress.current = undefined
      return
    }
    setFocused(row.path)
    if (row.kind === 'folder') toggle(row)
    else if (!row.readonly) open(row.path, false)
    else e.preventDefault()
  }

  const onPointerDown = (e: ReactPointerEvent, path: string | undefined) => {
    if (e.pointerType !== 'touch') return
    clearTimeout(longPress.current?.timer)
    const x = e.clientX
    const y = e.clientY
    longPress.current = {
      x,
      y,
      fired: false,
      timer: setTimeout(() => {
        if (longPress.current) longPress.current.fired = true
        openMenuFor(path, x, y)
      }, LONG_PRESS_MS),
    }
  }
  const cancelLongPress = (e?: ReactPointerEvent) => {
    const lp = longPress.current
    if (!lp || lp.fired) return
    if (e && e.type === 'pointermove' && Math.hypot(e.clientX - lp.x, e.clientY - lp.y) < 10) return
    clearTimeout(lp.timer)
    longPress.current = undefined
  }

  const dnd = useTreeDnd({
    byPath,
    expand: (row) => toggle(row, true),
    move: (from, to) => {
      const result = workspace.dispatch({ type: 'move', from, to })
      if (!result.ok) setNotice(result.message)
      else focusRow(to)
    },
  })

  const menuPath = menu?.path
  const confirmRow = confirm === undefined ? undefined : byPath.get(confirm)
  const confirmCount = confirm === undefined ? 0 : pathsUnder(workspace.state.paths, confirm).length

  return (
    <div className="file-tree" data-testid="tree">
      <div className="tree-toolbar">
        <span className="tree-title">Files</span>
        {!readOnly && (
          <>
            <ToolbarButton label="New File" testId="tree.new-file" onClick={() => startCreate('file', targetFolder(focused))}>
              <path d="M4 1.5h5l3.5 3.5v4 M9 1.5v3.5h3.5 M4 1.5v13h4.5 M12 11v5 M9.5 13.5h5" />
            </ToolbarButton>
            <ToolbarButton label="New Folder" testId="tree.new-folder" onClick={() => startCreate('folder', targetFolder(focused))}>
              <path d="M1.5 3.5h4.5l1.5 1.5h7v3.5 M1.5 3.5v10h7 M12 10v5 M9.5 12.5h5" />
            </ToolbarButton>
          </>
        )}
        {runtimeDirs && (
          <ToolbarButton label="Refresh" testId="tree.refresh" onClick={() => runtime.refresh()}>
            <path d="M13 8a5 5 0 1 1-1.5-3.5 M13 2v3h-3" />
          </ToolbarButton>
        )}
        <ToolbarButton
          label="Collapse Folders"
          testId="tree.collapse"
          onClick={() => {
            for (const p of expandedList) workspace.dispatch({ type: 'toggle-folder', path: p, expanded: false })
            for (const p of runtime.view.expanded) runtime.toggle(p, false)
          }}
        >
          <path d="M3 3h10v10h-10z M5.5 8h5" />
        </ToolbarButton>
      </div>
      {notice && (
        <p className="tree-notice" role="status" data-testid="tree.notice">
          {notice}
        </p>
      )}
      <div
        ref={bodyRef}
        className="tree-body"
        role="tree"
        aria-label="Files"
        data-drop-root={dnd.dropTarget === '' ? 'true' : undefined}
        onKeyDown={onTreeKeyDown}
        onContextMenu={(e) => {
          if (e.target !== e.currentTarget) return
          e.preventDefault()
          openMenuFor(undefined, e.clientX, e.clientY)
        }}
        onPointerDown={(e) => e.target === e.currentTarget && onPointerDown(e, undefined)}
        onPointerUp={() => cancelLongPress()}
        onPointerCancel={() => cancelLongPress()}
        onPointerMove={(e) => cancelLongPress(e)}
        onDragOver={(e) => dnd.over(e, '')}
        onDragLeave={dnd.leave}
        onDrop={(e) => (readOnly ? e.preventDefault() : dnd.drop(e, ''))}
      >
        {rows.map((row) =>
          row.type === 'draft' ? (
            <DraftInput
              key={row.path}
              row={row}
              onSubmit={(name) => {
                const target = createTarget(row.parent, name)
                if (!target.ok) return target.message
                const result = workspace.dispatch(row.kind === 'file' ? { type: 'create-file', path: target.path } : { type: 'create-folder', path: target.path })
                if (!result.ok) return result.message
                setEdit(undefined)
                if (row.kind === 'file') open(target.path, true)
                focusRow(target.path)
                return undefined
              }}
              onCancel={() => {
                setEdit(undefined)
                if (focused) pendingFocus.current = focused
              }}
            />
          ) : (
            <div
              key={row.path}
              role="treeitem"
              className="tree-row"
              data-testid="tree.item"
              data-path={row.path}
              data-kind={row.kind}
              data-readonly={row.readonly ? 'true' : undefined}
              data-drop={dnd.isInside(row.path) ? 'true' : undefined}
              data-menu={menuPath === row.path ? 'true' : undefined}
              aria-level={row.depth + 1}
              aria-expanded={row.kind === 'folder' ? row.expanded : undefined}
              aria-selected={row.path === activeTab}
              aria-busy={row.loading ? true : undefined}
              tabIndex={row.path === tabStop ? 0 : -1}
              title={row.readonly ? `${row.path} (in the runtime only; not part of the project)` : row.path}
              style={{ paddingLeft: 4 + row.depth * INDENT }}
              draggable={!readOnly && !row.readonly && !(edit?.mode === 'rename' && edit.path === row.path)}
              onFocus={(e) => e.target === e.currentTarget && setFocused(row.path)}
              onClick={(e) => onRowClick(e, row)}
              onContextMenu={(e) => {
                e.preventDefault()
                e.stopPropagation()
                if (!menu) openMenuFor(row.path, e.clientX, e.clientY)
              }}
              onPointerDown={(e) => onPointerDown(e, row.path)}
              onDragStart={(e) => dnd.start(e, row.path)}
              onDragEnd={dnd.end}
              onDragOver={(e) => dnd.over(e, row.readonly ? undefined : dropFolder(row))}
              onDrop={(e) => (readOnly ? e.preventDefault() : dnd.drop(e, row.readonly ? undefined : dropFolder(row)))}
            >
              <Guides depth={row.depth} />
              <span className="tree-twistie" aria-hidden="true" data-open={row.kind === 'folder' ? String(row.expanded) : undefined}>
                {row.kind === 'folder' && (
                  <svg viewBox="0 0 16 16" width="16" height="16" focusable="false">
                    <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
                  </svg>
                )}
              </span>
              <FileIcon icon={row.kind === 'folder' ? folderIcon(row.expanded) : fileIconFor(row.path)} />
              {edit?.mode === 'rename' && edit.path === row.path ? (
                <RenameInput
                  name={row.name}
                  onSubmit={(name) => {
                    const target = renameTarget(row.path, name)
                    if (!target.ok) return target.message
                    if (target.path === row.path) {
                      setEdit(undefined)
                      focusRow(row.path)
                      return undefined
                    }
                    const result = workspace.dispatch({ type: 'move', from: row.path, to: target.path })
                    if (!result.ok) return result.message
                    setEdit(undefined)
                    focusRow(target.path)
                    return undefined
                  }}
                  onCancel={() => {
                    setEdit(undefined)
                    focusRow(row.path)
                  }}
                />
              ) : (
                <span className="tree-name">{row.name}</span>
              )}
              {row.loading && <span className="tree-loading">Loading…</span>}
              <button
                type="button"
                className="tree-more"
                tabIndex={-1}
                aria-label={`More actions for ${row.name}`}
                title="More actions"
                data-testid="tree.more"
                onClick={(e) => {
                  e.stopPropagation()
                  const r = e.currentTarget.getBoundingClientRect()
                  openMenuFor(row.path, r.left, r.bottom)
                }}
              >
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                  <path d="M3.5 8h.01M8 8h.01M12.5 8h.01" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
                </svg>
              </button>
            </div>
          ),
        )}
        {nodes.length === 0 && !draft && (
          <div className="tree-empty">
            <p>No files yet.</p>
            {!readOnly && (
              <button type="button" className="tree-empty-btn" onClick={() => startCreate('file', '')}>
                New File
              </button>
            )}
          </div>
        )}
      </div>
      {menu && <ContextMenu items={menuItems(menu.path)} x={menu.x} y={menu.y} label={menu.path ? `Actions for ${baseName(menu.path)}` : 'Files'} onClose={closeMenu} />}
      {confirm !== undefined && (
        <ConfirmDialog
          title={`Delete ${baseName(confirm)}?`}
          confirmLabel="Delete"
          danger
          onConfirm={() => doDelete(confirm)}
          onCancel={() => {
            setConfirm(undefined)
            focusRow(confirm)
          }}
        >
          <p>
            {confirmRow?.kind === 'folder'
              ? `The folder ${confirm} and ${confirmCount === 1 ? 'the file' : `all ${confirmCount} files`} in it will be deleted.`
              : `${confirm} will be deleted.`}{' '}
            This cannot be undone here.
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

function rowElement(body: HTMLElement | null, path: string): HTMLElement | null {
  return body?.querySelector<HTMLElement>(`[data-testid="tree.item"][data-path="${CSS.escape(path)}"]`) ?? null
}

export default FileTreeView
