import { useMemo, useState } from 'react'
import type { OpenSource } from '../../core/session/ProjectOpening.ts'
import { useStore } from '../hooks/useStore.ts'
import { Link } from '../router.tsx'
import { useServices } from '../services.tsx'
import { EditorControllerProvider } from '../editor/editorControllerContext.tsx'
import { useOpening } from '../workbench/useProjectSession.ts'
import { ShareViewer } from './ShareViewer.tsx'
import './viewer.css'

/// `/s/<id>` and `/s/<id>@<n>`: opens the shared version through the project lifecycle (manifest, then the pack,
/// into this device's store) and runs it in the viewer's own runtime; or says why it cannot.
export function SharePage({ linkId, version }: { linkId: string | null; version: number | null }) {
  const services = useServices()
  const choice = useStore(services.runtimeChoice)
  const [attempt, setAttempt] = useState(0)
  const source = useMemo<OpenSource | undefined>(() => (linkId ? { kind: 'share', linkId, version: version ?? undefined } : undefined), [linkId, version])
  const open = useOpening(services, source, choice, { focusEditor: false, attempt })
  if (!linkId) return <NotFound />
  if (open.phase === 'opening') {
    return (
      <main className="page-state share-state" aria-busy="true" data-testid="share.loading">
        <span className="spinner" aria-hidden="true" />
        {open.message}
      </main>
    )
  }
  if (open.phase === 'failed') {
    if (open.reason === 'revoked') {
      return (
        <main className="page-state share-state" data-testid="share.revoked">
          <h1>This link was revoked</h1>
          <p>Its owner stopped sharing this project. Ask them for a new link.</p>
          <p>
            <Link to="/">Go to Slipway</Link>
          </p>
        </main>
      )
    }
    if (open.reason === 'not-found' || open.reason === 'missing') return version === null ? <NotFound /> : <VersionNotFound linkId={linkId} version={version} />
    return (
      <main className="page-state share-state" role="alert" data-testid="share.error" data-reason={open.reason}>
        <h1>{open.reason === 'offline' ? 'You are offline' : 'Could not open the shared project'}</h1>
        <p className="share-state-detail">{open.message}</p>
        <p>
          <button type="button" className="btn btn-primary" onClick={() => setAttempt((n) => n + 1)} data-testid="share.retry">
            Try again
          </button>
        </p>
      </main>
    )
  }
  if (open.source !== 'share') return <NotFound />
  return (
    <EditorControllerProvider controller={open.session.editor}>
      <ShareViewer key={open.session.projectId} session={open.session} share={open.share} snapshot={open.snapshot} problems={open.problems} />
    </EditorControllerProvider>
  )
}

function NotFound() {
  return (
    <main className="page-state share-state" data-testid="share.not-found">
      <h1>This link does not exist</h1>
      <p>Check the address, or ask whoever shared it for a new link.</p>
      <p>
        <Link to="/">Go to Slipway</Link>
      </p>
    </main>
  )
}

/// `/s/<id>@<n>` with no such version: the link itself may well be live (a mistyped or future version number), so
/// the page says which version is missing and offers the link's latest one instead of "This link does not exist".
function VersionNotFound({ linkId, version }: { linkId: string; version: number }) {
  return (
    <main className="page-state share-state" data-testid="share.version-not-found">
      <h1>Version {version} does not exist</h1>
      <p>This link has no version {version}. Check the address, or open the link's latest version.</p>
      <p>
        <Link to={`/s/${linkId}`} data-testid="share.latest">
          Open the latest version
        </Link>
      </p>
    </main>
  )
}

export default SharePage
