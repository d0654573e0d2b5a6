import { useEffect, useState } from 'react'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'

/// After signing up or in: projects made in this browser before (anonymous) can move into the account, so they sync
/// and open on other devices. Either answer keeps them: "Not now" leaves them in this browser, listed as before.
export function UploadOffer() {
  const { account, library, prefs } = useServices()
  const user = useStore(account.store)
  const lib = useStore(library.store)
  const userId = user.state === 'signed-in' ? user.user.id : undefined
  const local = lib.projects.filter((p) => p.origin === 'local')
  const dismissedKey = `upload-offer-dismissed:${userId}`
  const [dismissed, setDismissed] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<string[]>([])
  useEffect(() => {
    const stored = prefs.get(dismissedKey)
    setDismissed(Array.isArray(stored) ? stored.filter((x): x is string => typeof x === 'string') : [])
  }, [prefs, dismissedKey])
  const offered = local.filter((p) => !dismissed.includes(p.id))
  if (!userId || lib.loading || lib.offline || offered.length === 0) return null

  const upload = async () => {
    setBusy(true)
    const failed: string[] = []
    for (const p of offered) {
      const res = await library.upload(p, userId)
      if (!res.ok) failed.push(`${p.name}: ${res.message}`)
    }
    setBusy(false)
    setErrors(failed)
    if (failed.length) return
    await library.refresh(userId)
  }
  const notNow = () => {
    const ids = [...dismissed, ...offered.map((p: ProjectEntry) => p.id)]
    prefs.set(dismissedKey, ids)
    setDismissed(ids)
  }
  const n = offered.length
  return (
    <div className="banner banner-info upload-offer" role="region" aria-label="Projects in this browser" data-testid="upload.offer">
      <div>
        <strong>
          {n === 1 ? `“${offered[0]!.name}” was made in this browser before you signed in.` : `${n} projects were made in this browser before you signed in.`}
        </strong>
        <div className="banner-detail">Add {n === 1 ? 'it' : 'them'} to your account to sync and open on other devices. Either way nothing is deleted.</div>
        {errors.length > 0 && (
          <ul className="form-error" role="alert" data-testid="upload.errors">
            {errors.map((e) => (
              <li key={e}>{e} — kept in this browser.</li>
            ))}
          </ul>
        )}
      </div>
      <div className="banner-actions">
        <button className="btn btn-primary" onClick={() => void upload()} disabled={busy} data-testid="upload.accept">
          {busy ? 'Adding…' : 'Add to my account'}
        </button>
        <button className="btn" onClick={notNow} disabled={busy} data-testid="upload.dismiss">
          Keep in this browser
        </button>
      </div>
    </div>
  )
}
