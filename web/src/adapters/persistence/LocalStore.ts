import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'
import { ForkedFromSchema, TemplateIdSchema } from '@slipway/shared'
import type * as Y from 'yjs'
import { z } from 'zod'
import type { DocPersistence, DocPersistenceOptions } from './DocPersistence.ts'
import { FirstViewSchema, parseFirstView } from '../../core/firstView/firstView.ts'
import type { FirstView } from '../../core/firstView/firstView.ts'

/// A project this browser knows: made here (anonymous, `origin: 'local'`) or one of the signed-in user's server
/// projects cached for offline use (`origin: 'server'`).
export const LocalProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  template: TemplateIdSchema.nullable(),
  origin: z.enum(['local', 'server']),
  /// The server user a cached server project belongs to.
  ownerId: z.string().optional(),
  /// A fork's source: the link version, and its project's name when the fork knew it.
  forkedFrom: ForkedFromSchema.nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type LocalProject = z.infer<typeof LocalProjectSchema>

/// Per-project workbench view, restored when the project opens again.
export const ViewStateSchema = z.object({
  openTabs: z.array(z.string()).default([]),
  activeTab: z.string().optional(),
  expanded: z.array(z.string()).default([]),
  layout: z.record(z.string(), z.number()).default({}),
  panes: z.record(z.string(), z.boolean()).default({}),
  /// The pane in front on a phone (one pane at a time); an unknown one is dropped, not the whole view.
  mobilePane: z.enum(['files', 'code', 'terminal', 'preview', 'ai']).optional().catch(undefined),
})
export type ViewState = z.infer<typeof ViewStateSchema>

/// What the sync client knows about a project between page loads.
export const SyncMetaSchema = z.object({
  /// The server's state vector after the last successful pull or push, base64url.
  serverStateVector: z.string(),
  /// When the last round succeeded (ms since epoch).
  syncedAt: z.number().optional(),
  /// How many files have local edits the server has not acknowledged (older versions counted edits).
  waiting: z.number().int().nonnegative().default(0),
  /// Those files' paths (a deleted file's too), so the count survives a reload without counting a file twice.
  waitingPaths: z.array(z.string().max(4096)).max(20_000).optional(),
  /// SHA-256 (base64url) of what the doc held beyond the server's state vector after the last successful round:
  /// its delete set. The same value at the next page load means no deletion waits, so nothing needs pushing.
  residual: z.string().optional(),
})
export type SyncMeta = z.infer<typeof SyncMetaSchema>

interface SlipwayDB extends DBSchema {
  projects: { key: string; value: unknown }
  views: { key: string; value: unknown }
  sync: { key: string; value: unknown }
  /// A project's first view (core/firstView), drawn by public/first-view.js before the app loads.
  firstView: { key: string; value: unknown }
}

/// A project doc loaded from this browser's store. `store` is undefined when the store could not be opened (the doc
/// then holds only what arrives from elsewhere, in memory; `problem` says why).
export interface OpenedDoc {
  doc: Y.Doc
  store: DocPersistence | undefined
  problem?: string
}

/// A share of an open project doc (see `LocalStore.acquireDoc`).
export interface DocHandle {
  readonly opened: Promise<OpenedDoc>
  /// This holder is done with the doc; the last one to let go closes it (after a short grace, so a holder that
  /// comes straight back, like a React effect running again, gets the same doc without reading it again).
  release(): void
}

interface SharedDoc {
  opened: Promise<OpenedDoc>
  refs: number
  closing: ReturnType<typeof setTimeout> | undefined
}

/// How long an open doc nobody holds stays loaded.
const RELEASE_GRACE_MS = 1000
/// How long a doc read ahead of time (`prefetchDoc`) waits for the workbench to take it.
const PREFETCH_HOLD_MS = 10_000

const DB_NAME = 'slipway'
const DB_VERSION = 3

/// The browser-side store: project metadata and view state in IndexedDB (through `idb`, versioned upgrades, rows
/// checked with zod when read), and one `y-indexeddb` database per project doc.
export class LocalStore {
  private db: Promise<IDBPDatabase<SlipwayDB>> | undefined
  private readonly docs = new Map<string, SharedDoc>()

  constructor(
    private readonly idb: IDBFactory = indexedDB,
    /// Options for every project doc opened here (main.tsx passes the page for pagehide checkpoints).
    private readonly docOptions: DocPersistenceOptions = {},
  ) {}

  private open() {
    this.db ??= openDB<SlipwayDB>(DB_NAME, DB_VERSION, {
      // Another tab opened a newer version of the app: close so its upgrade can go ahead.
      blocking: () => void this.db?.then((db) => db.close()).finally(() => (this.db = undefined)),
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('projects')
          db.createObjectStore('views')
        }
        if (oldVersion < 2) db.createObjectStore('sync')
        if (oldVersion < 3) db.createObjectStore('firstView')
      },
    })
    return this.db
  }

  async listProjects(): Promise<LocalProject[]> {
    const db = await this.open()
    const rows = await db.getAll('projects')
    return rows
      .map((r) => LocalProjectSchema.safeParse(r))
      .filter((r) => r.success)
      .map((r) => r.data)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  async getProject(id: string): Promise<LocalProject | undefined> {
    const parsed = LocalProjectSchema.safeParse(await (await this.open()).get('projects', id))
    return parsed.success ? parsed.data : undefined
  }

  async putProject(project: LocalProject): Promise<void> {
    await (await this.open()).put('projects', LocalProjectSchema.parse(project), project.id)
  }

  async deleteProject(id: string): Promise<void> {
    await this.closeDoc(id)
    const db = await this.open()
    await db.delete('projects', id)
    await db.delete('views', id)
    await db.delete('sync', id)
    await db.delete('firstView', id)
    await new Promise<void>((resolve) => {
      const req = this.idb.deleteDatabase(docDbName(id))
      req.onsuccess = req.onerror = req.onblocked = () => resolve()
    })
  }

  async getView(id: string): Promise<ViewState> {
    const parsed = ViewStateSchema.safeParse((await (await this.open()).get('views', id)) ?? {})
    return parsed.success ? parsed.data : ViewStateSchema.parse({})
  }

  async putView(id: string, view: ViewState): Promise<void> {
    await (await this.open()).put('views', view, id)
  }

  async getSyncMeta(id: string): Promise<SyncMeta | undefined> {
    const parsed = SyncMetaSchema.safeParse(await (await this.open()).get('sync', id))
    return parsed.success ? parsed.data : undefined
  }

  async putSyncMeta(id: string, meta: SyncMeta): Promise<void> {
    await (await this.open()).put('sync', SyncMetaSchema.parse(meta), id)
  }

  /// The project's first view, or undefined when none is stored or the record is not a valid one.
  async getFirstView(id: string): Promise<FirstView | undefined> {
    return parseFirstView(await (await this.open()).get('firstView', id))
  }

  /// Stores a project's first view (already bounded: see `boundFirstView`). The workbench also writes it on `pagehide`,
  /// and Chromium drops a transaction left to commit itself then (a reload straight after moving the caret brought
  /// back the view from before): the transaction is committed at once.
  async putFirstView(id: string, view: FirstView): Promise<void> {
    const parsed = FirstViewSchema.safeParse(view)
    if (!parsed.success) throw new RangeError(`Invalid first view for ${id}: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    const tx = (await this.open()).transaction('firstView', 'readwrite')
    const put = tx.store.put(parsed.data, id)
    tx.commit()
    await Promise.all([put, tx.done])
  }

  /// Starts loading the doc persistence code (Yjs, y-indexeddb) before a project is opened.
  preloadDocs(): void {
    void import('./DocPersistence.ts')
  }

  /// A project's doc, loaded from this browser's store and kept open while someone holds it. Every holder of the
  /// same id shares one Y.Doc and one persistence (one y-indexeddb provider per project, never two in a page).
  acquireDoc(id: string): DocHandle {
    let shared = this.docs.get(id)
    if (!shared) {
      const opened = import('./DocPersistence.ts').then(async ({ DocPersistence, Y }) => {
        const doc = new Y.Doc()
        try {
          return { doc, store: await DocPersistence.open(docDbName(id), doc, this.docOptions) }
        } catch (err) {
          return { doc, store: undefined, problem: `This browser could not open its local copy (${String(err)}); edits are kept in memory and synced.` }
        }
      })
      shared = { opened, refs: 0, closing: undefined }
      this.docs.set(id, shared)
    }
    const held = shared
    clearTimeout(held.closing)
    held.closing = undefined
    held.refs++
    let released = false
    return {
      opened: held.opened,
      release: () => {
        if (released) return
        released = true
        if (--held.refs > 0) return
        held.closing = setTimeout(() => void this.closeDoc(id), RELEASE_GRACE_MS)
      },
    }
  }

  /// On a project URL, the page reads the project's doc while its code is still loading. Only a project this
  /// browser knows is read (a mistyped URL creates no database); the workbench takes it over with `acquireDoc`.
  prefetchDoc(id: string): void {
    void this.getProject(id).then(
      (project) => {
        if (!project) return
        const handle = this.acquireDoc(id)
        setTimeout(() => handle.release(), PREFETCH_HOLD_MS)
      },
      () => {},
    )
  }

  /// Closes a project's open doc now (last checkpoint written), whoever holds it.
  private async closeDoc(id: string): Promise<void> {
    const shared = this.docs.get(id)
    if (!shared) return
    this.docs.delete(id)
    clearTimeout(shared.closing)
    const { doc, store } = await shared.opened
    await store?.destroy()
    doc.destroy()
  }

  /// Closes a stored doc (a shared version's) and deletes it from this browser.
  async deleteDoc(key: string): Promise<void> {
    await this.closeDoc(key)
    await new Promise<void>((resolve) => {
      const req = this.idb.deleteDatabase(docDbName(key))
      req.onsuccess = req.onerror = req.onblocked = () => resolve()
    })
  }

  /// The persistence of a project's doc; resolves once the stored state is loaded into `doc`.
  async openDoc(id: string, doc: Y.Doc, options: DocPersistenceOptions = {}): Promise<DocPersistence> {
    const { DocPersistence } = await import('./DocPersistence.ts')
    return DocPersistence.open(docDbName(id), doc, { ...this.docOptions, ...options })
  }
}

export const docDbName = (projectId: string) => `slipway-doc-${projectId}`
