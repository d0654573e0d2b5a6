import { useStore } from '../hooks/useStore.ts'
import { Link } from '../router.tsx'
import { useServices } from '../services.tsx'
import { EditorControllerProvider } from '../editor/editorControllerContext.tsx'
import { useProjectSession } from './useProjectSession.ts'
import { WorkbenchLayout } from './WorkbenchLayout.tsx'
import { useEffect } from 'react'
import { dismissFirstView } from '../firstView/handoff.ts'

export { preloadEditor } from './WorkbenchLayout.tsx'

/// `/p/:id`: opens the project and shows the workbench, or says why it cannot.
export function WorkbenchPage({ id }: { id: string }) {
  const services = useServices()
  const account = useStore(services.account.store)
  const choice = useStore(services.runtimeChoice)
  const userId = account.state === 'signed-in' ? account.user.id : undefined
  const open = useProjectSession(services, id, account, choice)
  // No workbench will take over the light view (public/first-view.js): take it down, keeping what was typed.
  const failed = open.phase === 'failed' || (open.phase !== 'opening' && open.source !== 'project')
  useEffect(() => {
    if (failed) dismissFirstView()
  }, [failed])
  if (open.phase === 'opening') {
    return (
      <main className="page-state" aria-busy="true" data-testid="workbench.loading">
        <span className="spinner" aria-hidden="true" />
        {open.message}
      </main>
    )
  }
  if (open.phase === 'failed' && open.reason === 'missing') {
    return (
      <main className="page-state" data-testid="workbench.missing">
        <h1>Project not found</h1>
        <p>It may have been deleted, or it belongs to another account{userId ? '' : ' — sign in to open your projects'}.</p>
        <p>
          <Link to="/">Back to projects</Link>
          {!userId && (
            <>
              {' · '}
              <Link to="/signin">Sign in</Link>
            </>
          )}
        </p>
      </main>
    )
  }
  if (open.phase === 'failed' || open.source !== 'project') {
    return (
      <main className="page-state" role="alert">
        <h1>Could not open the project</h1>
        <pre className="error-text">{open.phase === 'failed' ? open.message : 'Not a project'}</pre>
        <Link to="/">Back to projects</Link>
      </main>
    )
  }
  return (
    <EditorControllerProvider controller={open.session.editor}>
      <WorkbenchLayout key={open.session.projectId} session={open.session} entry={open.entry} sync={open.sync} store={open.store} problems={open.problems} view={open.view} />
    </EditorControllerProvider>
  )
}
