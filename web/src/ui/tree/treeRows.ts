/// Pure kernel of the file tree view: the flat list of visible rows (what a virtual list or a roving tabindex walks)
/// from the workspace tree, the expanded folders, folders that live only in the runtime (node_modules) and an
/// inline "new file/folder" draft; plus drag-and-drop move planning.
import type { TreeFolder, TreeNode } from '../../core/workspace/fileTree.ts'
import { baseName, joinPath, parentOf } from '../../core/workspace/fileTree.ts'

export interface RuntimeEntry {
  name: string
  kind: 'file' | 'directory'
}

export interface TreeRow {
  type: 'node'
  kind: 'file' | 'folder'
  path: string
  name: string
  /// 0 for top-level entries.
  depth: number
  parent: string
  expanded: boolean
  /// Lives only in the runtime (node_modules and friends): listed, never edited.
  readonly: boolean
  /// A runtime folder whose listing is being fetched.
  loading?: boolean
}

export interface DraftRow {
  type: 'draft'
  kind: 'file' | 'folder'
  parent: string
  depth: number
  /// Unique per parent, for React keys.
  path: string
}

export type Row = TreeRow | DraftRow

export interface RuntimeView {
  /// Names of ignored folders at the project root that exist in the runtime (e.g. `node_modules`).
  rootDirs: readonly string[]
  /// Listings of runtime folders fetched so far, by path; `undefined` while loading.
  listings: ReadonlyMap<string, readonly RuntimeEntry[] | undefined>
  expanded: ReadonlySet<string>
}

export interface RowsInput {
  tree: TreeFolder
  expanded: ReadonlySet<string>
  runtime?: RuntimeView
  draft?: { kind: 'file' | 'folder'; parent: string }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
const byKindThenName = (a: { kind: string; name: string }, b: { kind: string; name: string }) =>
  a.kind !== b.kind ? (a.kind === 'folder' || a.kind === 'directory' ? -1 : 1) : collator.compare(a.name, b.name)

/// The rows a person sees, top to bottom. Folders come first, then files, each by natural name order.
export function visibleRows({ tree, expanded, runtime, draft }: RowsInput): Row[] {
  const rows: Row[] = []
  const pushDraft = (parent: string, depth: number) => {
    if (draft && draft.parent === parent) rows.push({ type: 'draft', kind: draft.kind, parent, depth, path: `${parent}/\u0000draft` })
  }

  const walk = (folder: TreeFolder, depth: number) => {
    pushDraft(folder.path, depth)
    let children: Array<TreeNode | { kind: 'runtime'; name: string; path: string }> = folder.children
    if (folder.path === '' && runtime?.rootDirs.length) {
      const present = new Set(folder.children.map((c) => c.name))
      const extra = runtime.rootDirs.filter((n) => !present.has(n)).map((name) => ({ kind: 'runtime' as const, name, path: name }))
      children = [...folder.children, ...extra].sort((a, b) => byKindThenName(kindOf(a), kindOf(b)))
    }
    for (const child of children) {
      if (child.kind === 'runtime') {
        walkRuntime(child.path, depth)
        continue
      }
      const open = child.kind === 'folder' && expanded.has(child.path)
      rows.push({ type: 'node', kind: child.kind, path: child.path, name: child.name, depth, parent: folder.path, expanded: open, readonly: false })
      if (child.kind === 'folder' && open) walk(child, depth + 1)
      else if (child.kind === 'folder' && draft?.parent === child.path) walk({ ...child, children: [] }, depth + 1)
    }
  }

  const walkRuntime = (path: string, depth: number) => {
    const open = runtime?.expanded.has(path) ?? false
    const listing = runtime?.listings.get(path)
    rows.push({
      type: 'node',
      kind: 'folder',
      path,
      name: baseName(path),
      depth,
      parent: parentOf(path),
      expanded: open,
      readonly: true,
      ...(open && listing === undefined ? { loading: true } : {}),
    })
    if (!open || !listing) return
    for (const entry of [...listing].sort(byKindThenName)) {
      const child = joinPath(path, entry.name)
      if (entry.kind === 'directory') walkRuntime(child, depth + 1)
      else rows.push({ type: 'node', kind: 'file', path: child, name: entry.name, depth: depth + 1, parent: path, expanded: false, readonly: true })
    }
  }

  walk(tree, 0)
  return rows
}

const kindOf = (n: { kind: string; name: string }) => ({ kind: n.kind === 'file' ? 'file' : 'folder', name: n.name })

/// The folder a drop on `row` lands in: the folder itself, or a file's parent (like VS Code). `undefined` = root.
export function dropFolder(row: Pick<TreeRow, 'kind' | 'path' | 'parent'> | undefined): string {
  if (!row) return ''
  return row.kind === 'folder' ? row.path : row.parent
}

/// Where `from` goes when dropped into `folder`, or `undefined` when the drop would do nothing or is impossible
/// (into itself or a descendant, or into the folder it is already in).
export function planDrop(from: string, folder: string): string | undefined {
  if (folder === from || folder.startsWith(from + '/')) return undefined
  if (parentOf(from) === folder) return undefined
  return joinPath(folder, baseName(from))
}

/// The path a rename to `name` produces. A name with `/` moves the entry relative to its folder (`../` is not
/// supported), which is also how phones move files without drag and drop.
export function renameTarget(path: string, name: string): { ok: true; path: string } | { ok: false; message: string } {
  const trimmed = name.trim().replace(/^\/+|\/+$/g, '')
  if (!trimmed) return { ok: false, message: 'A name is required' }
  return { ok: true, path: joinPath(parentOf(path), trimmed) }
}

/// The path a "new file/folder" draft creates; `a/b.ts` creates the folders on the way, like VS Code.
export function createTarget(parent: string, name: string): { ok: true; path: string } | { ok: false; message: string } {
  const trimmed = name.trim().replace(/^\/+|\/+$/g, '')
  if (!trimmed) return { ok: false, message: 'A name is required' }
  return { ok: true, path: joinPath(parent, trimmed) }
}

/// The part of a file name selected when renaming starts: the name without its extension.
export function renameSelection(name: string): [start: number, end: number] {
  const dot = name.lastIndexOf('.')
  return [0, dot > 0 ? dot : name.length]
}
