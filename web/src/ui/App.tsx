import { Suspense, useEffect, useState } from 'react'
import { AppUpdateBanner } from './AppUpdateBanner.tsx'
import { UploadOffer } from './account/UploadOffer.tsx'
import { AuthPage } from './auth/AuthPage.tsx'
import { preloadable } from './common/preloadable.ts'
import { Dashboard } from './dashboard/Dashboard.tsx'
import { useRoute, Link } from './router.tsx'
import { useServices } from './services.tsx'
import { RuntimeSettings } from './settings/RuntimeSettings.tsx'
import { TopBar } from './TopBar.tsx'
import { useAppCommands } from './commands/AppCommands.tsx'
import './app.css'
import './shell.css'

// The workbench (xterm, Yjs bindings, the tree) is its own chunk, so the dashboard paints from a small first chunk.
const workbench = () => import('./workbench/WorkbenchPage.tsx')
const WorkbenchPage = preloadable(() => workbench().then((m) => m.WorkbenchPage))
// The share viewer is its own chunk too (it shares the workbench's parts).
const SharePage = preloadable(() => import('./share/SharePage.tsx').then((m) => m.SharePage))
if (location.pathname.startsWith('/s/')) void SharePage.preload()

// Opening a project URL: fetch the workbench, the editor and Monaco side by side while the page starts (not one
// after the other down the chain of lazy imports), so Monaco is compiled while the project is read from disk.
if (location.pathname.startsWith('/p/')) {
  void workbench().then((m) => m.preloadEditor())
  void import('./editor/MonacoPane.tsx')
}

/// The app frame: top bar over the page the route names.
export function App() {
  const route = useRoute()
  const { account, updates } = useServices()
  const [settings, setSettings] = useState<'general' | 'shortcuts' | undefined>()
  useEffect(() => {
    void account.refresh()
  }, [account])
  const commandLayer = useAppCommands({ openSettings: setSettings })
  // A share link is full screen under its own thin bar: nothing of the IDE's frame.
  if (route.name === 'share') {
    return (
      <div className="app">
        <Suspense
          fallback={
            <main className="page-state" aria-busy="true" data-testid="share.loading">
              <span className="spinner" aria-hidden="true" />
              Opening shared project…
            </main>
          }
        >
          <SharePage linkId={route.linkId} version={route.version} />
        </Suspense>
        {commandLayer}
        {updates && <AppUpdateBanner updates={updates} />}
      </div>
    )
  }
  return (
    <div className="app">
      <TopBar onRuntimeSettings={() => setSettings('general')} />
      {route.name === 'dashboard' ? (
        <>
          <UploadOffer />
          <Dashboard />
        </>
      ) : route.name === 'project' ? (
        <Suspense
          fallback={
            <main className="page-state" aria-busy="true" data-testid="workbench.loading">
              <span className="spinner" aria-hidden="true" />
              Opening project…
            </main>
          }
        >
          <WorkbenchPage id={route.id} />
        </Suspense>
      ) : route.name === 'signin' || route.name === 'signup' ? (
        <AuthPage mode={route.name} />
      ) : (
        <main className="page-state">
          <h1>Page not found</h1>
          <Link to="/">Back to projects</Link>
        </main>
      )}
      {settings && <RuntimeSettings section={settings === 'shortcuts' ? 'shortcuts' : undefined} onClose={() => setSettings(undefined)} />}
      {commandLayer}
      {updates && <AppUpdateBanner updates={updates} />}
    </div>
  )
}
