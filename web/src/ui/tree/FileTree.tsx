import type { DirEntry } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { FileTreeView } from './FileTreeView.tsx'

export interface FileTreeProps {
  workspace: Workspace
  /// Lists a folder of the runtime (path relative to the project root, `.` for the root). With it the tree shows
  /// folders that live only in the runtime, such as node_modules: greyed, read-only, listed when expanded.
  runtimeDirs?: (path: string) => Promise<DirEntry[]>
  /// Opens a file; defaults to dispatching `open`. Use it to switch panes on phones.
  onOpen?: (path: string) => void
  /// Browse only (a shared version): no create, rename, delete or move.
  readOnly?: boolean
}

/// The project's files as a tree (WAI-ARIA tree, VS Code keys and density): folders first, icons by type, live as
/// files change. Create (toolbar, context menu; inline name input), rename (F2), delete (Delete, with a
/// confirmation), move by drag and drop onto folders or the empty area (root), Copy Path. Context menu on right
/// click, Shift+F10, the context-menu key, a long press, or the ⋯ button of a row. ↑/↓/Home/End/PageUp/PageDown
/// move, →/← expand/collapse or go to child/parent, Enter opens (and focuses the editor), Space opens, typing a
/// letter jumps to the next name starting with it.
///
/// About 8.5 KB gzipped with its CSS: keep it out of the app's first chunk (today the whole workbench page is lazy).
export function FileTree(props: FileTreeProps) {
  return <FileTreeView {...props} />
}

export default FileTree
