import { useEffect, useState } from 'react'
import type { DocPersistence } from '../../adapters/persistence/DocPersistence.ts'
import type { DocHandle, ViewState } from '../../adapters/persistence/LocalStore.ts'
import type { AccountState } from '../../core/account/Account.ts'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { ProjectSession } from '../../core/session/ProjectSession.ts'
import type { RuntimeChoice } from '../../core/runtime/choice.ts'
import type { SyncClient } from '../../core/sync/SyncClient.ts'
import { EditorController } from '../editor/EditorController.ts'
import type { AppServices } from '../services.tsx'

export type OpenState =
  | { state: 'loading'; message: string }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | {
      state: 'ready'
      session: ProjectSession
      entry: ProjectEntry
      sync: SyncClient | undefined
      /// The project's local store; `undefined` when this browser could not open it (edits live in memory only).
      store: DocPersistence | undefined
      view: ViewState
      problems: string[]
    }

/// Opens a project: its doc from IndexedDB at once (then from the server for account projects), the workbench
/// state it had, and a session whose runtime boots in the background. Closing the page or switching projects
/// disposes all of it, runtime included. A project made in this browser opens without waiting to learn who is
/// signed in (that takes a server round trip); an account project waits for it, so one user never sees another's.
export function useProjectSession(services: AppServices, id: string, account: AccountState, choice: RuntimeChoice): OpenState {
  const [open, setOpen] = useState<OpenState>({ state: 'loading', message: 'Opening project…' })
  const [origin, setOrigin] = useState<{ id: string; local: boolean }>()
  useEffect(() => {
    let live = true
    services.local.getProject(id).then(
      (p) => live && setOrigin({ id, local: p?.origin === 'local' }),
      () => live && setOrigin({ id, local: false }),
    )
    return () => {
      live = false
    }
  }, [services, id])
  // Who the project is opened for; undefined while that is not known yet.
  const owner = origin?.id !== id ? undefined : origin.local ? LOCAL : account.state === 'loading' ? undefined : account.state === 'signed-in' ? account.user.id : ANONYMOUS
  useEffect(() => {
    if (owner === undefined) return
    const userId = owner === LOCAL || owner === ANONYMOUS ? undefined : owner
    let cancelled = false
    let handle: DocHandle | undefined
    let session: ProjectSession | undefined
    let sync: SyncClient | undefined
    setOpen({ state: 'loading', message: 'Opening project…' })
    void (async () => {
      const entry = await services.library.find(id, userId)
      if (cancelled) return
      if (!entry) return setOpen({ state: 'missing' })
      // Usually already being read: the page starts reading a project URL's doc before its code has loaded.
      handle = services.local.acquireDoc(id)
      const { doc, store, problem } = await handle.opened
      const problems = problem ? [problem] : []
      if (cancelled) return
      if (entry.origin === 'server') {
        const client = await services.openSync(doc, id)
        if (cancelled) return client.dispose()
        sync = client
        // A first open on this device has nothing local yet: wait for the server's copy before showing files.
        if (doc.getMap('files').size === 0) {
          setOpen({ state: 'loading', message: 'Downloading project…' })
          await sync.sync()
        } else void sync.sync()
      }
      if (cancelled) return
      const view = await services.local.getView(id)
      void services.library.touch(entry)
      services.storage.persistOnce()
      if (cancelled) return
      session = new ProjectSession({
        projectId: id,
        doc,
        kind: choice.kind,
        boot: () => services.bootRuntime(choice, id),
        autoRun: true,
        initialView: { openTabs: view.openTabs, ...(view.activeTab ? { activeTab: view.activeTab } : {}), expanded: view.expanded },
        onProblem: (message) => console.warn(message),
      })
      const ws = session.workspace
      if (!ws.state.openTabs.length) {
        const first = ['src/App.jsx', 'src/main.ts', 'server.js', 'index.js', 'README.md'].find((p) => ws.files.has(p))
        if (first) ws.dispatch({ type: 'open', path: first })
      }
      // A person can type at once (issue 16 item 7): the editor takes focus when it has loaded. Not on touch screens,
      // where focus would raise the on-screen keyboard over the project.
      if (!globalThis.matchMedia?.('(pointer: coarse)').matches) EditorController.for(ws).focus()
      setOpen({ state: 'ready', session, entry, sync, store, view, problems })
    })().catch((err: unknown) => !cancelled && setOpen({ state: 'error', message: err instanceof Error ? err.message : String(err) }))
    return () => {
      cancelled = true
      void (async () => {
        await session?.dispose()
        if (sync) {
          await sync.sync().catch(() => {})
          sync.dispose()
        }
        handle?.release()
      })()
    }
  }, [services, id, owner, choice])
  return open
}

const LOCAL = '\u0000local'
const ANONYMOUS = '\u0000anonymous'
