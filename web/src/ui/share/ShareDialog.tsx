import { useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { ProjectShares } from '../../core/shares/ProjectShares.ts'
import type { SyncClient } from '../../core/sync/SyncClient.ts'
import { activeLink, pendingEditsNote } from '../../core/shares/shareView.ts'
import { Dialog } from '../common/Dialog.tsx'
import { useStore } from '../hooks/useStore.ts'
import { Link, navigate } from '../router.tsx'
import { useServices } from '../services.tsx'
import { CurrentLink, OtherLinks } from './ShareLinks.tsx'
import { PublishStatus } from './PublishStatus.tsx'
import { useFocusRescue } from '../hooks/useFocusRescue.ts'
import './share.css'

export interface ShareDialogProps {
  entry: ProjectEntry
  doc: Y.Doc
  sync: SyncClient | undefined
  /// Opens a file at a line (a secret to remove); the dialog closes first.
  onOpenFile: (path: string, line: number) => void
  onClose: () => void
}

/// The owner's Share dialog: publish a version, the link with Copy and a QR code, what the version holds and left
/// out, the project's links with their versions and views, Publish again and Revoke. A project that is not in an
/// account says how to get it there.
export function ShareDialog({ entry, doc, sync, onOpenFile, onClose }: ShareDialogProps) {
  const { account } = useServices()
  const user = useStore(account.store)
  const title = `Share “${entry.name}”`
  let body
  if (user.state === 'loading') body = <p role="status">Checking your account…</p>
  else if (user.state !== 'signed-in') body = <SignInToShare />
  else if (entry.origin === 'local' || !sync) body = <NotInAccount entry={entry} userId={user.user.id} />
  else return <SharePanel title={title} entry={entry} doc={doc} sync={sync} onOpenFile={onOpenFile} onClose={onClose} />
  return (
    <Dialog title={title} onClose={onClose} testId="share.dialog" className="share-dialog">
      {body}
      <div className="form-actions">
        <button className="btn" onClick={onClose} data-testid="share.close">
          Close
        </button>
      </div>
    </Dialog>
  )
}

function SignInToShare() {
  return (
    <div className="share-gate" data-testid="share.signin">
      <p>
        <strong>Sign in to share.</strong> Links belong to your account, so you can publish new versions and revoke them
        later. After signing in, add this project to your account when asked, then share it.
      </p>
      <p className="share-gate-actions">
        <Link to="/signin" className="btn btn-primary">
          Sign in
        </Link>
        <Link to="/signup" className="btn">
          Create an account
        </Link>
      </p>
    </div>
  )
}

function NotInAccount({ entry, userId }: { entry: ProjectEntry; userId: string }) {
  const { library } = useServices()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const upload = async () => {
    setBusy(true)
    setError(undefined)
    const res = await library.upload(entry, userId)
    setBusy(false)
    if (!res.ok) return setError(`The project could not be added to your account: ${res.message}`)
    navigate(`/p/${res.value.id}`, { replace: true })
  }
  return (
    <div className="share-gate" data-testid="share.local">
      <p>
        <strong>This project is saved only in this browser.</strong> Add it to your account first: the server then holds
        its files and can publish them at a link.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="share-gate-actions">
        <button className="btn btn-primary" onClick={() => void upload()} disabled={busy} data-testid="share.upload">
          {busy ? 'Adding…' : 'Add to my account'}
        </button>
      </p>
    </div>
  )
}

function SharePanel({ title, entry, doc, sync, onOpenFile, onClose }: { title: string; entry: ProjectEntry; doc: Y.Doc; sync: SyncClient; onOpenFile: ShareDialogProps['onOpenFile']; onClose: () => void }) {
  const { api, connectivity } = useServices()
  const online = useStore(connectivity.store, (s) => s.online)
  const [shares, setShares] = useState<ProjectShares>()
  useEffect(() => {
    const s = new ProjectShares({ projectId: entry.id, api, doc, sync, online: () => connectivity.store.get().online })
    setShares(s)
    void s.refresh()
    return () => s.dispose()
  }, [entry.id, api, doc, sync, connectivity])
  // Back online: the links that could not load, load.
  useEffect(() => {
    if (online && shares && shares.store.get().links.phase === 'failed') void shares.refresh()
  }, [online, shares])
  return (
    <Dialog title={title} onClose={onClose} testId="share.dialog" className="share-dialog">
      {shares ? <ShareBody shares={shares} online={online} onOpenFile={onOpenFile} /> : <p role="status">Loading links…</p>}
      <div className="form-actions">
        <button className="btn" onClick={onClose} data-testid="share.close">
          Close
        </button>
      </div>
    </Dialog>
  )
}

function ShareBody({ shares, online, onOpenFile }: { shares: ProjectShares; online: boolean; onOpenFile: ShareDialogProps['onOpenFile'] }) {
  const state = useStore(shares.store)
  const syncStatus = useStore(shares.syncStatus)
  const links = state.links.phase === 'ready' ? state.links.links : []
  const active = activeLink(links)
  const others = links.filter((l) => l !== active)
  const busy = state.publish.phase === 'syncing' || state.publish.phase === 'publishing' || state.publish.phase === 'waiting'
  const primary = useRef<HTMLButtonElement>(null)
  const root = useRef<HTMLDivElement>(null)
  // The main action takes focus once the links are known, so Enter publishes.
  const ready = state.links.phase !== 'loading'
  useEffect(() => {
    if (ready) primary.current?.focus()
  }, [ready])
  // A control that goes away under focus (a revoked link, an answered question) hands it to the main action.
  useFocusRescue(root, () => {
    if (primary.current && !primary.current.disabled) return primary.current
    return root.current?.closest('[role="dialog"]')?.querySelector<HTMLElement>('button:not(:disabled), input, a[href]')
  })
  const publishing = busy && !('target' in state.publish && state.publish.target) ? 'new' : busy ? 'again' : undefined
  // Edits the server lacks, said before anything is pressed; once a publish is under way its own status says it.
  const pending = pendingEditsNote(syncStatus, online)
  const phase = state.publish.phase
  const showPending = online && pending !== undefined && (phase === 'idle' || phase === 'failed' || (phase === 'published' && !state.publish.behind))
  return (
    <div className="share-body" ref={root}>
      {!online && (
        <div className="share-note share-warn" role="status" data-testid="share.offline">
          <p>You're offline. Sharing needs the network: publishing and the list of links come back when you are online.</p>
          {pending && <p data-testid="share.pending">{pending}</p>}
        </div>
      )}
      {showPending && (
        <p className="share-note share-warn" role="status" data-testid="share.pending">
          {pending}
        </p>
      )}
      {state.links.phase === 'loading' && (
        <p className="share-note" role="status">
          <span className="spinner" aria-hidden="true" /> Loading links…
        </p>
      )}
      {/* Offline, the note above already says why the links are missing, and they load on reconnecting. */}
      {state.links.phase === 'failed' && online && (
        <p className="share-note share-error" role="alert">
          {state.links.message}{' '}
          <button className="btn btn-small" onClick={() => void shares.refresh()}>
            Try again
          </button>
        </p>
      )}
      <PublishStatus shares={shares} state={state.publish} onOpenFile={onOpenFile} />
      {state.links.phase === 'ready' &&
        (active ? (
          <CurrentLink
            link={active}
            published={state.publish.phase === 'published' && state.publish.linkId === active.id ? state.publish.version : undefined}
            behind={state.publish.phase === 'published' && state.publish.linkId === active.id && state.publish.behind === true}
            publishing={publishing === 'again'}
            busy={busy}
            offline={!online}
            revoking={state.revoking === active.id}
            primary={primary}
            onPublish={() => void shares.publish(active.id)}
            onRevoke={() => shares.revoke(active.id)}
          />
        ) : (
          <div className="share-create" data-testid="share.create">
            <p>
              Publish this project as it is now. Anyone with the link can open a running preview — on a phone too — read
              the code and fork it. The version never changes; publish again to update the link.
            </p>
            {/* Busy, the button stays focusable (aria-disabled), so a keyboard user keeps their place while it works. */}
            <button
              ref={primary}
              className="btn btn-primary"
              onClick={() => busy || void shares.publish()}
              disabled={!online}
              aria-disabled={busy || undefined}
              data-testid="share.publish"
            >
              {publishing === 'new' ? (
                <>
                  <span className="spinner" aria-hidden="true" /> Publishing…
                </>
              ) : links.length ? (
                'Create a new link'
              ) : (
                'Create link'
              )}
            </button>
          </div>
        ))}
      {state.revokeError && (
        <p className="share-note share-error" role="alert">
          {state.revokeError}
        </p>
      )}
      {others.length > 0 && <OtherLinks links={others} revoking={state.revoking} onRevoke={(id) => shares.revoke(id)} disabled={!online} />}
    </div>
  )
}
