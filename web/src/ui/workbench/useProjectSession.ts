import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { DocPersistence } from '../../adapters/persistence/DocPersistence.ts'
import type { ViewState } from '../../adapters/persistence/LocalStore.ts'
import type { AccountState } from '../../core/account/Account.ts'
import type { RuntimeChoice } from '../../core/runtime/choice.ts'
import { ProjectOpening } from '../../core/session/ProjectOpening.ts'
import type { OpeningPorts, OpeningState, OpenSource } from '../../core/session/ProjectOpening.ts'
import type { AppServices } from '../services.tsx'

export type OpenState = OpeningState<DocPersistence, ViewState>

const OPENING: OpenState = { phase: 'opening', message: 'Opening project…' }

/// The adapters a `ProjectOpening` takes, from the app's services.
export function openingPorts(services: AppServices, choice: RuntimeChoice): OpeningPorts<DocPersistence, ViewState> {
  return {
    findProject: (id, userId) => services.library.find(id, userId),
    acquireDoc: (key) => services.local.acquireDoc(key),
    openSync: (doc, id) => services.openSync(doc, id),
    getView: (id) => services.local.getView(id),
    touch: (entry) => services.library.touch(entry),
    persistOnce: () => services.storage.persistOnce(),
    boot: (key) => services.bootRuntime(choice, key),
    resolveShare: (linkId, version, signal) => services.shares.resolve(linkId, version, signal),
    ai: {
      port: services.ai.port,
      conversations: services.ai.conversations,
      online: () => services.connectivity.store.get().online,
      ...(services.ai.onPageHidden ? { onPageHidden: services.ai.onPageHidden } : {}),
    },
  }
}

/// Opens `source` (nothing while it is undefined) in a core `ProjectOpening` and follows its state; a new source or
/// runtime choice closes the previous opening, and so does leaving the page.
/// `focusEditor`: the editor of the first file takes focus once loaded (not on touch screens). `attempt`: bump it to
/// open the same source again (Retry).
export function useOpening(services: AppServices, source: OpenSource | undefined, choice: RuntimeChoice, { focusEditor = true, attempt = 0 } = {}): OpenState {
  const key = source ? JSON.stringify([source, attempt]) : undefined
  const [opening, setOpening] = useState<{ key: string; opening: ProjectOpening<DocPersistence, ViewState> }>()
  useEffect(() => {
    if (!key) return
    const opening = new ProjectOpening(openingPorts(services, choice), (JSON.parse(key) as [OpenSource])[0], {
      kind: choice.kind,
      // A person can type at once (issue 16 item 7): the editor takes focus when it has loaded. Not on touch screens,
      // where focus would raise the on-screen keyboard over the project; and not from someone who is already
      // somewhere else (naming a new file, asking the assistant, searching while Monaco loaded): their next keys
      // would land in the code.
      beforeReady: (session) => {
        if (!focusEditor || globalThis.matchMedia?.('(pointer: coarse)').matches) return
        // Asked again when Monaco has loaded and the focus would really move (it can be seconds later).
        session.editor.focus(() => {
          const active = globalThis.document?.activeElement
          return !active || active === globalThis.document.body
        })
      },
    })
    setOpening({ key, opening })
    return () => void opening.close()
  }, [services, key, choice, focusEditor])
  const current = opening?.key === key ? opening?.opening : undefined
  const store = useMemo(() => current?.state ?? { subscribe: () => () => {}, get: () => OPENING }, [current])
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}

/// Opens a project of the dashboard. A project made in this browser opens without waiting to learn who is signed in
/// (that takes a server round trip); an account project waits for it, so one user never sees another's.
export function useProjectSession(services: AppServices, id: string, account: AccountState, choice: RuntimeChoice): OpenState {
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
  const known = origin?.id === id && (origin.local || account.state !== 'loading')
  const userId = known && !origin.local && account.state === 'signed-in' ? account.user.id : undefined
  const source: OpenSource | undefined = known ? { kind: 'project', id, userId } : undefined
  return useOpening(services, source, choice)
}
