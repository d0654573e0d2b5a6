import { FILES_MAP } from '@slipway/shared'
import * as Y from 'yjs'
import type { ProjectEntry } from '../projects/ProjectLibrary.ts'
import type { BootResult, RuntimeKind } from '../runtime/index.ts'
import { Store } from '../store.ts'
import type { SyncClient } from '../sync/SyncClient.ts'
import type { WorkspaceState } from '../workspace/Workspace.ts'
import { ProjectSession } from './ProjectSession.ts'
import type { AiPorts } from './ProjectSession.ts'

/// A doc read from this browser's store. `store` is the adapter's persistence (opaque here); undefined when the
/// store could not be opened, and `problem` says why.
export interface LeasedDoc<S> {
  doc: Y.Doc
  store: S | undefined
  problem?: string
}

/// A share of a stored doc; the last holder to `release` closes it.
export interface DocLease<S> {
  readonly opened: Promise<LeasedDoc<S>>
  release(): void
}

export interface SavedView {
  openTabs: string[]
  activeTab?: string | undefined
  expanded: string[]
}

/// One file of a shared version, as it goes into the doc.
export interface SharedFile {
  path: string
  content: string | Uint8Array
}

/// What a viewer is told about a shared version.
export interface ShareInfo {
  linkId: string
  projectName: string
  owner: string | null
  /// The version opened, and the link's latest one (as last known).
  version: number
  latest: number
  /// Opened from this device's copy because the server could not be asked.
  offline: boolean
}

/// How a shared version is found: `ok` with its info and the key its doc is stored under, or why not.
export type ShareResolution =
  | { ok: true; info: ShareInfo; docKey: string; files(signal: AbortSignal): Promise<SharedFile[]> }
  | { ok: false; reason: 'not-found' | 'revoked' | 'offline'; message: string }

/// The adapters opening needs, passed in (main.tsx builds them from the local store, the API client and the runtime).
export interface OpeningPorts<S, V extends SavedView = SavedView> {
  findProject(id: string, userId: string | undefined): Promise<ProjectEntry | undefined>
  acquireDoc(key: string): DocLease<S>
  openSync(doc: Y.Doc, projectId: string): Promise<SyncClient>
  getView(id: string): Promise<V>
  touch(entry: ProjectEntry): Promise<void>
  persistOnce(): void
  boot(projectKey: string): Promise<BootResult>
  resolveShare(linkId: string, version: number | undefined, signal: AbortSignal): Promise<ShareResolution>
  onProblem?(message: string): void
  /// The assistant's ports; projects of the person's own get an assistant, shared versions do not.
  ai?: AiPorts
}

export type OpenSource =
  | { kind: 'project'; id: string; userId: string | undefined }
  | { kind: 'share'; linkId: string; version: number | undefined }

export type OpeningFailure = 'missing' | 'not-found' | 'revoked' | 'offline' | 'error'

export type OpeningState<S, V extends SavedView = SavedView> =
  | { phase: 'opening'; message: string }
  | { phase: 'failed'; reason: OpeningFailure; message: string }
  | ({ phase: 'ready'; session: ProjectSession; problems: string[] } & (
      | { source: 'project'; entry: ProjectEntry; sync: SyncClient | undefined; store: S | undefined; view: V }
      | { source: 'share'; share: ShareInfo; snapshot: () => Uint8Array }
    ))

export interface OpeningOptions {
  kind: RuntimeKind
  /// Called with the session just before it is shown (the UI asks the editor to take focus).
  beforeReady?(session: ProjectSession): void
}

/// Where a run starts when nothing was open: the first of these the project has.
export const FIRST_FILES = ['src/App.jsx', 'src/main.ts', 'server.js', 'index.js', 'README.md'] as const

/// The origin of the writes that fill a shared version's doc.
export const SHARE_FILL_ORIGIN = 'share-fill'

class Closed extends Error {
  constructor() {
    super('The project was closed')
  }
}

/// Opening one project, from the local store or the account (`project`) or a shared version (`share`), and
/// everything it holds while open: the stored doc, the sync client, the session and its runtime. `state` says where
/// it is (opening → ready | failed); `close()` cancels an opening in flight (an AbortSignal, so waits stop at once)
/// and tears down what was set up, newest first, awaiting each step: session (runtime included), a last sync, the
/// doc. React only subscribes to `state`.
export class ProjectOpening<S, V extends SavedView = SavedView> {
  readonly state = new Store<OpeningState<S, V>>({ phase: 'opening', message: 'Opening project…' })
  private readonly abort = new AbortController()
  private readonly cleanups: Array<() => void | Promise<void>> = []
  private closing: Promise<void> | undefined

  constructor(
    private readonly ports: OpeningPorts<S, V>,
    readonly source: OpenSource,
    private readonly options: OpeningOptions,
  ) {
    const opening = source.kind === 'project' ? this.openProject(source) : this.openShare(source)
    opening.catch((err: unknown) => {
      if (this.abort.signal.aborted) return
      this.state.update(() => ({ phase: 'failed', reason: 'error', message: err instanceof Error ? err.message : String(err) }))
    })
  }

  get signal(): AbortSignal {
    return this.abort.signal
  }

  /// Cancels the opening if it is still going, then disposes what it set up, in reverse order. Idempotent.
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.abort.abort()
      for (const cleanup of this.cleanups.splice(0).reverse()) {
        try {
          await cleanup()
        } catch (err) {
          console.error('closing a project failed', err)
        }
      }
    })()
    return this.closing
  }

  /// Registers a teardown step; after close it runs at once.
  private own(cleanup: () => void | Promise<void>): void {
    if (this.closing) void Promise.resolve().then(cleanup)
    else this.cleanups.push(cleanup)
  }

  /// Awaits a step of the opening; throws `Closed` if the opening was closed meanwhile.
  private async step<T>(p: Promise<T>): Promise<T> {
    const value = await p
    if (this.abort.signal.aborted) throw new Closed()
    return value
  }

  private fail(reason: OpeningFailure, message: string): void {
    if (!this.abort.signal.aborted) this.state.update(() => ({ phase: 'failed', reason, message }))
  }

  private progress(message: string): void {
    if (!this.abort.signal.aborted) this.state.update(() => ({ phase: 'opening', message }))
  }

  private leaseDoc(key: string): Promise<LeasedDoc<S>> {
    const lease = this.ports.acquireDoc(key)
    this.own(() => lease.release())
    return this.step(lease.opened)
  }

  private startSession(
    projectId: string,
    doc: Y.Doc,
    bootKey: string,
    initialView: Partial<Pick<WorkspaceState, 'openTabs' | 'activeTab' | 'expanded'>>,
    ai?: AiPorts,
  ): ProjectSession {
    const session = new ProjectSession({
      projectId,
      doc,
      kind: this.options.kind,
      boot: () => this.ports.boot(bootKey),
      autoRun: true,
      initialView,
      onProblem: (message) => (this.ports.onProblem ?? console.warn)(message),
      ...(ai ? { ai } : {}),
    })
    this.own(() => session.dispose())
    const ws = session.workspace
    if (!ws.state.openTabs.length) {
      const first = FIRST_FILES.find((p) => ws.files.has(p))
      if (first) ws.dispatch({ type: 'open', path: first })
    }
    return session
  }

  private async openProject({ id, userId }: Extract<OpenSource, { kind: 'project' }>): Promise<void> {
    try {
      const entry = await this.step(this.ports.findProject(id, userId))
      if (!entry) return this.fail('missing', 'Project not found')
      const { doc, store, problem } = await this.leaseDoc(id)
      const problems = problem ? [problem] : []
      let sync: SyncClient | undefined
      if (entry.origin === 'server') {
        const client = await this.ports.openSync(doc, id)
        // Registered before the check, so a client that arrives after close is disposed too.
        this.own(async () => {
          await client.sync().catch(() => {})
          client.dispose()
        })
        if (this.abort.signal.aborted) throw new Closed()
        sync = client
        // A first open on this device has nothing local yet: wait for the server's copy before showing files.
        if (doc.getMap(FILES_MAP).size === 0) {
          this.progress('Downloading project…')
          await this.step(sync.sync())
        } else void sync.sync()
      }
      const view = await this.step(this.ports.getView(id))
      void this.ports.touch(entry)
      this.ports.persistOnce()
      const session = this.startSession(
        id,
        doc,
        id,
        { openTabs: view.openTabs, ...(view.activeTab ? { activeTab: view.activeTab } : {}), expanded: view.expanded },
        this.ports.ai,
      )
      this.options.beforeReady?.(session)
      if (this.abort.signal.aborted) return
      this.state.update(() => ({ phase: 'ready', source: 'project', session, entry, sync, store, view, problems }))
    } catch (err) {
      if (!(err instanceof Closed)) throw err
    }
  }

  private async openShare({ linkId, version }: Extract<OpenSource, { kind: 'share' }>): Promise<void> {
    try {
      this.progress('Opening shared project…')
      const found = await this.step(this.ports.resolveShare(linkId, version, this.abort.signal))
      if (!found.ok) return this.fail(found.reason, found.message)
      // The version's files are kept on this device (for offline); a copy of them runs, so whatever the runtime
      // writes (a lockfile, a build) never changes the stored version.
      const { doc: stored, problem } = await this.leaseDoc(found.docKey)
      const problems = problem ? [problem] : []
      if (stored.getMap(FILES_MAP).size === 0) {
        this.progress('Downloading project…')
        const files = await this.step(found.files(this.abort.signal))
        fillDoc(stored, files)
      }
      const doc = new Y.Doc()
      this.own(() => doc.destroy())
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored), SHARE_FILL_ORIGIN)
      this.ports.persistOnce()
      const session = this.startSession(found.docKey, doc, found.docKey, {})
      this.options.beforeReady?.(session)
      if (this.abort.signal.aborted) return
      // The version as published (the running copy may hold what the runtime wrote): what a fork copies.
      const snapshot = () => Y.encodeStateAsUpdate(stored)
      this.state.update(() => ({ phase: 'ready', source: 'share', session, share: found.info, snapshot, problems }))
    } catch (err) {
      if (!(err instanceof Closed) && !(this.abort.signal.aborted && isAbort(err))) throw err
    }
  }
}

/// Writes a version's files into an empty doc, text as Y.Text and binary as bytes, in one transaction.
export function fillDoc(doc: Y.Doc, files: readonly SharedFile[]): void {
  const map = doc.getMap<Y.Text | Uint8Array>(FILES_MAP)
  doc.transact(() => {
    for (const f of files) {
      if (typeof f.content === 'string') {
        const text = new Y.Text()
        text.insert(0, f.content)
        map.set(f.path, text)
      } else map.set(f.path, f.content)
    }
  }, SHARE_FILL_ORIGIN)
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError'
