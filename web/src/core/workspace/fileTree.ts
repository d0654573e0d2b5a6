/// Pure file-tree kernel: builds the tree the UI shows from the set of file paths (plus folders that exist without
/// files), and plans renames/moves as path maps.

export interface TreeFolder {
  kind: 'folder'
  name: string
  path: string
  children: TreeNode[]
}
export interface TreeFile {
  kind: 'file'
  name: string
  path: string
}
export type TreeNode = TreeFolder | TreeFile

/// Folders first, then files, each by name (case-insensitive, numbers in natural order), like VS Code.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
const compare = (a: TreeNode, b: TreeNode) => (a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : collator.compare(a.name, b.name))

export function buildTree(filePaths: Iterable<string>, extraFolders: Iterable<string> = []): TreeFolder {
  const root: TreeFolder = { kind: 'folder', name: '', path: '', children: [] }
  const folders = new Map<string, TreeFolder>([['', root]])
  const folder = (path: string): TreeFolder => {
    const existing = folders.get(path)
    if (existing) return existing
    const slash = path.lastIndexOf('/')
    const parent = folder(slash < 0 ? '' : path.slice(0, slash))
    const created: TreeFolder = { kind: 'folder', name: path.slice(slash + 1), path, children: [] }
    parent.children.push(created)
    folders.set(path, created)
    return created
  }
  for (const path of extraFolders) if (path) folder(path)
  for (const path of filePaths) {
    const slash = path.lastIndexOf('/')
    folder(slash < 0 ? '' : path.slice(0, slash)).children.push({ kind: 'file', name: path.slice(slash + 1), path })
  }
  const sort = (f: TreeFolder) => {
    f.children.sort(compare)
    for (const c of f.children) if (c.kind === 'folder') sort(c)
  }
  sort(root)
  return root
}

/// Orders file paths as the tree shows them: within a folder its folders first, then its files, each by name in
/// natural order (`mod2.ts` before `mod10.ts`). Lists of files elsewhere (search results, Problems) use it, so they
/// read in the tree's order.
export function compareFilePaths(a: string, b: string): number {
  const as = a.split('/')
  const bs = b.split('/')
  for (let i = 0; ; i++) {
    const aFolder = i < as.length - 1
    const bFolder = i < bs.length - 1
    if (aFolder !== bFolder) return aFolder ? -1 : 1
    const order = collator.compare(as[i] ?? '', bs[i] ?? '')
    if (order !== 0 || !aFolder) return order || (a < b ? -1 : a > b ? 1 : 0)
  }
}

/// Paths under `path` (itself included when it is a file).
export function pathsUnder(paths: Iterable<string>, path: string): string[] {
  const prefix = path + '/'
  return [...paths].filter((p) => p === path || p.startsWith(prefix))
}

/// Where each affected path goes when `from` (a file or a folder) is renamed or moved to `to`.
export function planMove(paths: Iterable<string>, from: string, to: string): Map<string, string> {
  if (to === from || to.startsWith(from + '/')) throw new RangeError(`Cannot move ${from} into itself (${to})`)
  const moves = new Map<string, string>()
  for (const p of pathsUnder(paths, from)) moves.set(p, to + p.slice(from.length))
  return moves
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name
}
