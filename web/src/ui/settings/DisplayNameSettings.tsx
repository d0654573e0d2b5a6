import { useId, useState } from 'react'
import type { User } from '@slipway/shared'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'
import './settings.css'

/// Settings → Account, for a signed-in user: the display name links they share say they are "by". Nothing shows
/// when no one is signed in.
export function DisplayNameSettings() {
  const { account } = useServices()
  const state = useStore(account.store)
  if (state.state !== 'signed-in') return null
  // A different user (sign out, sign in as someone else) starts from their own name.
  return <DisplayNameField key={state.user.id} user={state.user} />
}

type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; displayName: string | null } | { state: 'error'; message: string }

/// Saved with its own button, or Enter in the field: the dialog's Save (the runtime) is a different thing, and Enter
/// here must not submit it.
function DisplayNameField({ user }: { user: User }) {
  const { account } = useServices()
  const [text, setText] = useState(user.displayName ?? '')
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  const hintId = useId()
  const errorId = useId()
  const headingId = useId()
  const submit = async () => {
    if (save.state === 'saving') return
    setSave({ state: 'saving' })
    const answer = await account.setDisplayName(text)
    if (answer.ok) {
      setText(answer.displayName ?? '')
      setSave({ state: 'saved', displayName: answer.displayName })
    } else setSave({ state: 'error', message: answer.message })
  }
  const error = save.state === 'error' ? save.message : undefined
  return (
    <section className="settings-section" aria-labelledby={headingId} data-testid="settings.account">
      <h3 id={headingId}>Account</h3>
      <div className="display-name-row">
        <label className="field">
          <span>Display name</span>
          <input
            value={text}
            onChange={(e) => {
              setText(e.target.value)
              if (save.state !== 'saving') setSave({ state: 'idle' })
            }}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' || e.nativeEvent.isComposing) return
              e.preventDefault()
              void submit()
            }}
            placeholder="someone"
            autoComplete="nickname"
            spellCheck={false}
            aria-describedby={error ? `${errorId} ${hintId}` : hintId}
            aria-invalid={error ? true : undefined}
            data-testid="settings.displayName"
          />
        </label>
        <button
          type="button"
          className="btn"
          onClick={() => void submit()}
          aria-disabled={save.state === 'saving' ? true : undefined}
          data-testid="settings.displayNameSave"
        >
          {save.state === 'saving' ? 'Saving…' : 'Save name'}
        </button>
      </div>
      <p className="form-hint" id={hintId}>
        Shown as “by …” on links you share, to anyone who opens them. Up to 60 characters; leave it empty to show “by
        someone”. Your email is never shown.
      </p>
      {/* Always in the document, so screen readers announce what lands in it. */}
      <p className="form-ok" role="status" data-testid="settings.displayNameStatus">
        {save.state === 'saved' ? `Saved. Links you share now say “by ${save.displayName ?? 'someone'}”.` : ''}
      </p>
      {error && (
        <p className="form-error" role="alert" id={errorId} data-testid="settings.displayNameError">
          {error}
        </p>
      )}
    </section>
  )
}
