import { FILES_MAP, TEMPLATES } from '@slipway/shared'
import type { ForkedFrom, Project, TemplateId } from '@slipway/shared'
import type * as Y from 'yjs'
import { Store } from '../store.ts'

/// A project as the dashboard lists it.
export interface ProjectEntry {
  id: string
  name: string
  template: TemplateId | null
  origin: 'local' | 'server'
  ownerId?: string
  /// The share link version this project was copied from (a fork); absent or null otherwise. `projectName`: the
  /// source's name where the fork recorded it (a fork made in this browser knows it; the server's wire shape has none).
  forkedFrom?: ForkedFrom | null
  createdAt: string
  updatedAt: string
}

type Result<T> = { ok: true; value: T } | { ok: false; kind: string; message: string }

/// Ports the library needs: the browser's project store and the server's project API.
export interface LocalProjects {
  listProjects(): Promise<ProjectEntry[]>
  getProject(id: string): Promise<ProjectEntry | undefined>
  putProject(p: ProjectEntry): Promise<void>
  deleteProject(id: string): Promise<void>
  /// Loads (and from then on persists) the project's doc.
  openDoc(id: string, doc: Y.Doc): Promise<{ destroy(): Promise<void> | void }>
  /// The sync client's bookkeeping: edits not yet acknowledged by the server.
  getSyncMeta(id: string): Promise<{ waiting: number } | undefined>
}
export interface ServerProjects {
  listProjects(): Promise<Result<Project[]>>
  getProject(id: string): Promise<Result<Project>>
  /// `forkedFrom`: the link version an uploaded local fork came from; the server keeps it only if the link backs it.
  createProject(name: string, template?: TemplateId, forkedFrom?: ForkedFrom): Promise<Result<Project>>
  renameProject(id: string, name: string): Promise<Result<Project>>
  deleteProject(id: string): Promise<Result<undefined>>
  push(id: string, update: Uint8Array): Promise<Result<{ stateVector: Uint8Array }>>
  /// The files the server holds for a project.
  listFiles(id: string): Promise<Result<ReadonlyArray<{ path: string }>>>
}

export interface LibraryState {
  loading: boolean
  projects: readonly ProjectEntry[]
  /// The server could not be asked (offline): the list shows cached projects only.
  offline: boolean
  error?: string
  /// How many files the server holds, by project id, for account projects that did not start from a template (an
  /// upload, or a project of another device), since their template cannot describe them. Absent until it answers.
  fileCounts: Readonly<Record<string, number>>
}

const newId = () => crypto.randomUUID()

/// The projects a person can open here: local (anonymous) ones, and the signed-in user's server projects, cached
/// locally so they open offline.
export class ProjectLibrary {
  readonly store = new Store<LibraryState>({ loading: true, projects: [], offline: false, fileCounts: {} })

  constructor(
    private readonly local: LocalProjects,
    private readonly server: ServerProjects,
    /// What else this device keeps for a project (the assistant's conversations): forgotten with it, and moved with it
    /// when it is uploaded into an account under a new id.
    private readonly kept: { deleteProject(id: string): Promise<void>; moveProject(from: string, to: string): Promise<void> } = {
      deleteProject: async () => {},
      moveProject: async () => {},
    },
  ) {}

  /// Forgets a project on this device: its entry and doc, and what else is kept for it.
  private async forgetLocally(id: string): Promise<void> {
    await this.local.deleteProject(id)
    await this.kept.deleteProject(id)
  }

  async refresh(userId: string | undefined): Promise<void> {
    const cached = (await this.local.listProjects()).filter((p) => p.origin === 'local' || p.ownerId === userId)
    let projects = cached
    let offline = false
    if (userId) {
      const res = await this.server.listProjects()
      if (res.ok) {
        const serverIds = new Set(res.value.map((p) => p.id))
        for (const p of res.value) await this.local.putProject({ ...p, origin: 'server', ownerId: userId })
        // Server projects deleted elsewhere leave the cache too.
        for (const p of cached) if (p.origin === 'server' && !serverIds.has(p.id)) await this.forgetLocally(p.id)
        projects = [...cached.filter((p) => p.origin === 'local'), ...res.value.map((p) => ({ ...p, origin: 'server' as const, ownerId: userId }))]
      } else offline = res.kind === 'network'
    }
    projects = [...projects].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    this.store.update((s) => ({ loading: false, projects, offline, fileCounts: s.fileCounts }))
    // The list shows now; the counts follow as the server answers.
    if (!offline) void this.countFiles(projects.filter((p) => p.origin === 'server' && p.template === null).map((p) => p.id))
  }

  /// Asks the server how many files each project holds (a few at a time); a failed answer leaves its count out.
  private async countFiles(ids: readonly string[]): Promise<void> {
    const queue = [...ids]
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const res = await this.server.listFiles(id)
        if (res.ok) {
          const count = res.value.length
          this.store.update((s) => (s.fileCounts[id] === count ? s : { ...s, fileCounts: { ...s.fileCounts, [id]: count } }))
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker))
  }

  /// A new project from a template: on the server when signed in, else in this browser only.
  async create(template: TemplateId, userId: string | undefined, name = TEMPLATES[template].title): Promise<Result<ProjectEntry>> {
    if (userId) {
      const res = await this.server.createProject(name, template)
      if (!res.ok) return res
      const entry: ProjectEntry = { ...res.value, origin: 'server', ownerId: userId }
      await this.local.putProject(entry)
      return { ok: true, value: entry }
    }
    const now = new Date().toISOString()
    const entry: ProjectEntry = { id: newId(), name, template, origin: 'local', createdAt: now, updatedAt: now }
    // Yjs loads with the workbench; creating a project is the first thing that needs it.
    const Y = await import('yjs')
    const doc = new Y.Doc()
    const files = doc.getMap(FILES_MAP)
    const persistence = await this.local.openDoc(entry.id, doc)
    doc.transact(() => {
      for (const [path, text] of Object.entries(TEMPLATES[template].files)) files.set(path, new Y.Text(text))
    })
    await this.local.putProject(entry)
    await persistence.destroy()
    doc.destroy()
    return { ok: true, value: entry }
  }

  /// A new project in this browser only holding a copy of `state` (a Yjs update of a project doc): an anonymous fork
  /// of a shared version. It is offered at sign-in like any local project.
  async createLocalCopy(name: string, state: Uint8Array, forkedFrom: ForkedFrom): Promise<ProjectEntry> {
    const now = new Date().toISOString()
    const entry: ProjectEntry = { id: newId(), name, template: null, origin: 'local', createdAt: now, updatedAt: now, forkedFrom: { ...forkedFrom, projectName: name.slice(0, 200) } }
    const Y = await import('yjs')
    const doc = new Y.Doc()
    const persistence = await this.local.openDoc(entry.id, doc)
    Y.applyUpdate(doc, state, 'fork')
    await this.local.putProject(entry)
    await persistence.destroy()
    doc.destroy()
    this.store.update((s) => ({ ...s, projects: [entry, ...s.projects] }))
    return entry
  }

  /// The entry for an id: cached, else asked from the server (a link opened on a new device).
  async find(id: string, userId: string | undefined): Promise<ProjectEntry | undefined> {
    const cached = await this.local.getProject(id)
    if (cached && (cached.origin === 'local' || cached.ownerId === userId)) return cached
    if (!userId) return undefined
    const res = await this.server.getProject(id)
    if (!res.ok) return undefined
    const entry: ProjectEntry = { ...res.value, origin: 'server', ownerId: userId }
    await this.local.putProject(entry)
    return entry
  }

  async rename(entry: ProjectEntry, name: string): Promise<Result<undefined>> {
    if (entry.origin === 'server') {
      const res = await this.server.renameProject(entry.id, name)
      if (!res.ok) return res
    }
    await this.local.putProject({ ...entry, name, updatedAt: new Date().toISOString() })
    this.store.update((s) => ({ ...s, projects: s.projects.map((p) => (p.id === entry.id ? { ...p, name } : p)) }))
    return { ok: true, value: undefined }
  }

  async remove(entry: ProjectEntry): Promise<Result<undefined>> {
    if (entry.origin === 'server') {
      const res = await this.server.deleteProject(entry.id)
      if (!res.ok) return res
    }
    await this.forgetLocally(entry.id)
    this.store.update((s) => ({ ...s, projects: s.projects.filter((p) => p.id !== entry.id) }))
    return { ok: true, value: undefined }
  }

  /// Marks a project as just used, so it lists first.
  async touch(entry: ProjectEntry): Promise<void> {
    await this.local.putProject({ ...entry, updatedAt: new Date().toISOString() })
  }

  /// Moves a project made in this browser into the account: a new server project gets the whole doc (same Yjs
  /// history, so nothing is rewritten), the local copy is re-keyed under the server id, and only then is the
  /// anonymous copy removed. Any failure leaves the local project as it was (and removes a half-made server one).
  async upload(entry: ProjectEntry, userId: string): Promise<Result<ProjectEntry>> {
    if (entry.origin !== 'local') return { ok: false, kind: 'state', message: 'Already in an account' }
    const Y = await import('yjs')
    const doc = new Y.Doc()
    const source = await this.local.openDoc(entry.id, doc)
    await source.destroy()
    const forkedFrom = entry.forkedFrom ? { linkId: entry.forkedFrom.linkId, version: entry.forkedFrom.version } : undefined
    const created = await this.server.createProject(entry.name, undefined, forkedFrom)
    if (!created.ok) return created
    const pushed = await this.server.push(created.value.id, Y.encodeStateAsUpdate(doc))
    if (!pushed.ok) {
      await this.server.deleteProject(created.value.id)
      return pushed
    }
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const target = await this.local.openDoc(created.value.id, copy)
    await target.destroy()
    const moved: ProjectEntry = { ...created.value, template: entry.template, origin: 'server', ownerId: userId }
    await this.local.putProject(moved)
    await this.kept.moveProject(entry.id, moved.id)
    await this.local.deleteProject(entry.id)
    doc.destroy()
    copy.destroy()
    this.store.update((s) => ({ ...s, projects: s.projects.map((p) => (p.id === entry.id ? moved : p)) }))
    return { ok: true, value: moved }
  }

  /// This device's copies of a user's account projects, with how many edits each has not synced yet.
  async cachedFor(userId: string): Promise<Array<{ entry: ProjectEntry; waiting: number }>> {
    const cached = (await this.local.listProjects()).filter((p) => p.origin === 'server' && p.ownerId === userId)
    return Promise.all(cached.map(async (entry) => ({ entry, waiting: (await this.local.getSyncMeta(entry.id))?.waiting ?? 0 })))
  }

  /// Removes this device's copies of a user's account projects (at sign-out, when the person asks for it).
  async forget(userId: string): Promise<void> {
    for (const { entry } of await this.cachedFor(userId)) await this.forgetLocally(entry.id)
    this.store.update((s) => ({ ...s, projects: s.projects.filter((p) => !(p.origin === 'server' && p.ownerId === userId)) }))
  }
}
