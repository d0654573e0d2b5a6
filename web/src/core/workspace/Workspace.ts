import { FILES_MAP, FOLDERS_MAP, checkProjectPath } from '@slipway/shared'
import * as Y from 'yjs'
import { DisposableStore, Store } from '../store.ts'
import { buildTree, joinPath, parentOf, pathsUnder, planMove } from './fileTree.ts'
import type { TreeFolder } from './fileTree.ts'

type FileValue = Y.Text | Uint8Array

export interface WorkspaceState {
  tree: TreeFolder
  /// Every file path, sorted; for quick open and search.
  paths: readonly string[]
  /// Folders listed in the doc's folders map (`FOLDERS_MAP`: made in the tree or by a program, kept even while
  /// empty; synced like files), sorted.
  extraFolders: readonly string[]
  openTabs: readonly string[]
  activeTab: string | undefined
  /// Folders expanded in the tree.
  expanded: readonly string[]
}

export type WorkspaceCommand =
  | { type: 'open'; path: string }
  | { type: 'close'; path: string }
  | { type: 'close-others'; path: string }
  | { type: 'move-tab'; path: string; toIndex: number }
  | { type: 'toggle-folder'; path: string; expanded?: boolean }
  | { type: 'create-file'; path: string; contents?: string }
  | { type: 'create-folder'; path: string }
  | { type: 'move'; from: string; to: string }
  | { type: 'delete'; path: string }

export type CommandResult = { ok: true } | { ok: false; message: string }

/// The origin tag of edits made from the UI (tree operations). Editors use their own binding origin.
export const UI_ORIGIN = 'slipway:ui'

/// A project's files and the workbench's view of them: the tree, open tabs, expanded folders. The Y.Doc's files map
/// is the truth; every change goes through `dispatch`.
export class Workspace {
  readonly files: Y.Map<FileValue>
  readonly store: Store<WorkspaceState>
  /// Empty folders that must exist (`FOLDERS_MAP`): path → true.
  readonly folders: Y.Map<true>
  private readonly disposables = new DisposableStore()

  constructor(
    readonly doc: Y.Doc,
    initial: Partial<Pick<WorkspaceState, 'openTabs' | 'activeTab' | 'expanded'>> = {},
  ) {
    this.files = doc.getMap<FileValue>(FILES_MAP)
    this.folders = doc.getMap<true>(FOLDERS_MAP)
    const paths = this.sortedPaths()
    const openTabs = (initial.openTabs ?? []).filter((p) => this.files.has(p))
    const extraFolders = [...this.folders.keys()].sort()
    this.store = new Store<WorkspaceState>({
      tree: buildTree(paths, extraFolders),
      paths,
      extraFolders,
      openTabs,
      activeTab: initial.activeTab && openTabs.includes(initial.activeTab) ? initial.activeTab : openTabs[0],
      expanded: initial.expanded ?? [],
    })
    const onChange = (event: { keysChanged: Set<string> }) => {
      if (event.keysChanged.size) this.refresh()
    }
    this.files.observe(onChange)
    this.folders.observe(onChange)
    this.disposables.add(() => {
      this.files.unobserve(onChange)
      this.folders.unobserve(onChange)
    })
  }

  get state(): WorkspaceState {
    return this.store.get()
  }

  text(path: string): Y.Text | undefined {
    const v = this.files.get(path)
    return v instanceof Y.Text ? v : undefined
  }

  dispatch(cmd: WorkspaceCommand): CommandResult {
    switch (cmd.type) {
      case 'open': {
        if (!this.files.has(cmd.path)) return fail(`${cmd.path} does not exist`)
        this.store.update((s) => ({
          ...s,
          openTabs: s.openTabs.includes(cmd.path) ? s.openTabs : [...s.openTabs, cmd.path],
          activeTab: cmd.path,
          expanded: withAncestors(s.expanded, cmd.path),
        }))
        return ok
      }
      case 'close':
        this.store.update((s) => closeTabs(s, (p) => p === cmd.path))
        return ok
      case 'close-others':
        this.store.update((s) => ({ ...closeTabs(s, (p) => p !== cmd.path), activeTab: cmd.path }))
        return ok
      case 'move-tab':
        this.store.update((s) => {
          const tabs = s.openTabs.filter((p) => p !== cmd.path)
          tabs.splice(Math.max(0, Math.min(cmd.toIndex, tabs.length)), 0, cmd.path)
          return { ...s, openTabs: tabs }
        })
        return ok
      case 'toggle-folder':
        this.store.update((s) => {
          const open = cmd.expanded ?? !s.expanded.includes(cmd.path)
          return { ...s, expanded: open ? [...new Set([...s.expanded, cmd.path])] : s.expanded.filter((p) => p !== cmd.path) }
        })
        return ok
      case 'create-file': {
        const problem = this.checkNew(cmd.path)
        if (problem) return fail(problem)
        this.doc.transact(() => this.files.set(cmd.path, new Y.Text(cmd.contents ?? '')), UI_ORIGIN)
        return this.dispatch({ type: 'open', path: cmd.path })
      }
      case 'create-folder': {
        const problem = this.checkNew(cmd.path)
        if (problem) return fail(problem)
        this.store.update((s) => ({ ...s, expanded: withAncestors([...s.expanded, cmd.path], cmd.path) }))
        this.doc.transact(() => this.folders.set(cmd.path, true), UI_ORIGIN)
        return ok
      }
      case 'move': {
        const problem = this.checkNew(cmd.to)
        if (problem) return fail(problem)
        let moves: Map<string, string>
        try {
          moves = planMove(this.files.keys(), cmd.from, cmd.to)
        } catch (err) {
          return fail((err as Error).message)
        }
        for (const to of moves.values()) {
          const check = checkProjectPath(to)
          if (!check.ok) return fail(`${to}: ${check.message}`)
        }
        // Tabs follow first, so the refresh after the doc change finds them at their new paths.
        this.store.update((s) => {
          const rename = (p: string) => moves.get(p) ?? p
          return { ...s, openTabs: s.openTabs.map(rename), activeTab: s.activeTab && rename(s.activeTab), expanded: withAncestors(s.expanded, cmd.to) }
        })
        this.doc.transact(() => {
          for (const [from, to] of moves) {
            const value = this.files.get(from)!
            const copy = value instanceof Y.Text ? new Y.Text(value.toString()) : value
            this.files.delete(from)
            this.files.set(to, copy)
          }
          for (const f of [...this.folders.keys()]) {
            if (f === cmd.from || f.startsWith(cmd.from + '/')) {
              this.folders.delete(f)
              this.folders.set(cmd.to + f.slice(cmd.from.length), true)
            }
          }
        }, UI_ORIGIN)
        this.refresh()
        return ok
      }
      case 'delete': {
        const doomed = pathsUnder(this.files.keys(), cmd.path)
        const folders = [...this.folders.keys()].filter((f) => f === cmd.path || f.startsWith(cmd.path + '/'))
        this.doc.transact(() => {
          doomed.forEach((p) => this.files.delete(p))
          folders.forEach((f) => this.folders.delete(f))
        }, UI_ORIGIN)
        this.refresh()
        return ok
      }
    }
  }

  dispose(): void {
    this.disposables.dispose()
  }

  private checkNew(path: string): string | undefined {
    const check = checkProjectPath(path)
    if (!check.ok) return check.message
    if (this.files.has(path) || this.folders.has(path) || pathsUnder(this.files.keys(), path).length) return `${path} already exists`
    const parent = parentOf(path)
    if (parent && this.files.has(parent)) return `${parent} is a file`
    return undefined
  }

  private sortedPaths(): string[] {
    return [...this.files.keys()].sort()
  }

  private refresh(): void {
    const paths = this.sortedPaths()
    const present = new Set(paths)
    const extraFolders = [...this.folders.keys()].sort()
    this.store.update((s) => ({
      ...closeTabs(s, (p) => !present.has(p)),
      tree: buildTree(paths, extraFolders),
      paths,
      extraFolders,
    }))
  }
}

const ok: CommandResult = { ok: true }
const fail = (message: string): CommandResult => ({ ok: false, message })

function withAncestors(expanded: readonly string[], path: string): string[] {
  const out = new Set(expanded)
  for (let p = parentOf(path); p; p = parentOf(p)) out.add(p)
  return [...out]
}

function closeTabs(s: WorkspaceState, close: (path: string) => boolean): WorkspaceState {
  if (!s.openTabs.some(close)) return s
  const index = s.activeTab ? s.openTabs.indexOf(s.activeTab) : -1
  const openTabs = s.openTabs.filter((p) => !close(p))
  let activeTab = s.activeTab
  if (activeTab && close(activeTab)) activeTab = openTabs[Math.min(Math.max(index, 0), openTabs.length - 1)]
  return { ...s, openTabs, activeTab }
}

export { joinPath }
