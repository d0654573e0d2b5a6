import { useEffect, useState } from 'react'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { Dialog } from '../common/Dialog.tsx'
import { navigate } from '../router.tsx'
import { useServices } from '../services.tsx'

/// Signing out asks what happens to this account's projects on this device: keep the copies (hidden until the same
/// account signs in again; no other account sees them) or remove them. Unsynced edits are named before removal.
export function SignOutDialog({ userId, onClose }: { userId: string; onClose: () => void }) {
  const { account, library } = useServices()
  const [cached, setCached] = useState<Array<{ entry: ProjectEntry; waiting: number }>>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void library.cachedFor(userId).then(setCached)
  }, [library, userId])
  const unsynced = (cached ?? []).filter((c) => c.waiting > 0)
  const signOut = async (remove: boolean) => {
    setBusy(true)
    await account.logout()
    if (remove) await library.forget(userId)
    onClose()
    navigate('/')
  }
  return (
    <Dialog title="Sign out" onClose={onClose} testId="signout.dialog">
      <p>
        {cached === undefined
          ? 'Checking this device…'
          : cached.length === 0
            ? 'No projects of this account are stored on this device.'
            : `${cached.length} project${cached.length === 1 ? ' of this account is' : 's of this account are'} stored on this device for offline use.`}
      </p>
      {unsynced.length > 0 && (
        <p className="form-error" role="alert" data-testid="signout.unsynced">
          Not synced yet: {unsynced.map((c) => `${c.entry.name} (${c.waiting} changed file${c.waiting === 1 ? '' : 's'})`).join(', ')}. Removing loses
          these changes; keeping them syncs them when you sign in again.
        </p>
      )}
      <div className="form-actions">
        <button className="btn" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button className="btn" onClick={() => void signOut(true)} disabled={busy || cached === undefined} data-testid="signout.remove">
          {unsynced.length > 0 ? 'Remove anyway and sign out' : 'Remove from this device'}
        </button>
        <button className="btn btn-primary" onClick={() => void signOut(false)} disabled={busy} data-testid="signout.keep">
          Keep on this device
        </button>
      </div>
    </Dialog>
  )
}
