import { useState } from 'react'
import { parseConnectUrl } from '../../core/runtime/choice.ts'
import { localRuntimeCommand } from '../../core/env.ts'
import { Dialog } from '../common/Dialog.tsx'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'
import { AboutSettings } from './AboutSettings.tsx'
import { AppearanceSettings } from './AppearanceSettings.tsx'
import { StorageSettings } from './StorageSettings.tsx'

/// Settings: where code runs (WebContainer in this tab, the default, or the local runtime agent on this machine),
/// appearance (theme, font sizes) and storage on this device, and About (server, network, isolation).
export function RuntimeSettings({ onClose }: { onClose: () => void }) {
  const services = useServices()
  const choice = useStore(services.runtimeChoice)
  const [kind, setKind] = useState(choice.kind)
  const [url, setUrl] = useState(choice.kind === 'local' ? choice.url : '')
  const [error, setError] = useState<string>()
  const save = () => {
    if (kind === 'webcontainer') services.setRuntimeChoice({ kind: 'webcontainer' })
    else {
      const parsed = parseConnectUrl(url)
      if (!parsed) return setError('Paste the URL the agent printed: ws://127.0.0.1:<port>/runtime?token=…')
      services.setRuntimeChoice(parsed)
    }
    onClose()
  }
  return (
    <Dialog title="Settings" onClose={onClose} testId="settings.runtime">
      <h3>Runtime</h3>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <label className="choice">
          <input type="radio" name="runtime" checked={kind === 'webcontainer'} onChange={() => setKind('webcontainer')} />
          <span>
            <strong>WebContainer</strong> — Node.js in this browser tab. Nothing to install.
            {!services.env.crossOriginIsolated && <em className="form-warn"> This page is not cross-origin isolated, so it cannot start here.</em>}
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="runtime" checked={kind === 'local'} onChange={() => setKind('local')} data-testid="settings.local" />
          <span>
            <strong>Local runtime</strong> — a real shell, Node, npm and native tools on your own machine. Start it with{' '}
            <code data-testid="settings.localCommand">{localRuntimeCommand(services.env.origin)}</code> and paste the URL it prints. It
            runs code with your user's rights, and only this page's origin may connect to it.
          </span>
        </label>
        {kind === 'local' && (
          <label className="field">
            <span>Connect URL</span>
            <input
              value={url}
              onChange={(e) => {
                setUrl(e.target.value)
                setError(undefined)
              }}
              placeholder="ws://127.0.0.1:4100/runtime?token=…"
              spellCheck={false}
              autoComplete="off"
              data-testid="settings.url"
              aria-invalid={error ? true : undefined}
            />
          </label>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p className="form-hint">Projects that are open restart on the new runtime.</p>
        {/* Appearance and storage take effect at once (no Save); Save and Cancel close the dialog, so they come last. */}
        <AppearanceSettings />
        <StorageSettings />
        <AboutSettings />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="settings.save">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  )
}
