import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import type { DocPersistence } from '../../adapters/persistence/DocPersistence.ts'
import type { ViewState } from '../../adapters/persistence/LocalStore.ts'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { ProjectSession } from '../../core/session/ProjectSession.ts'
import type { RuntimeChoice } from '../../core/runtime/choice.ts'
import type { SyncClient } from '../../core/sync/SyncClient.ts'
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
/// disposes all of it, runtime included.
export function useProjectSession(services: AppServices, id: string, userId: string | undefined, choice: RuntimeChoice): OpenState {
  const [open, setOpen] = useState<OpenState>({ state: 'loading', message: 'Opening project…' })
  useEffect(() => {
    let cancelled = false
    const doc = new Y.Doc()
    let session: ProjectSession | undefined
    let sync: SyncClient | undefined
    let persistence: DocPersistence | undefined
    const problems: string[] = []
    setOpen({ state: 'loading', message: 'Opening project…' })
    void (async () => {
      const entry = await services.library.find(id, userId)
      if (cancelled) return
      if (!entry) return setOpen({ state: 'missing' })
      try {
        const opened = await services.local.openDoc(id, doc)
        if (cancelled) return void opened.destroy()
        persistence = opened
      } catch (err) {
        problems.push(`This browser could not open its local copy (${String(err)}); edits are kept in memory and synced.`)
      }
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
      if (cancelled) return void session.dispose()
      setOpen({ state: 'ready', session, entry, sync, store: persistence, view, problems })
    })().catch((err: unknown) => !cancelled && setOpen({ state: 'error', message: err instanceof Error ? err.message : String(err) }))
    return () => {
      cancelled = true
      void (async () => {
        await session?.dispose()
        if (sync) {
          await sync.sync().catch(() => {})
          sync.dispose()
        }
        await persistence?.destroy()
        doc.destroy()
      })()
    }
  }, [services, id, userId, choice])
  return open
}
