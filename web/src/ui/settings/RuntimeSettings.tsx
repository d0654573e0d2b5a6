import { useEffect, useRef, useState } from 'react'
import { parseConnectUrl } from '../../core/runtime/choice.ts'
import { localRuntimeCommand } from '../../core/env.ts'
import { copyText } from '../common/clipboard.ts'
import { Dialog } from '../common/Dialog.tsx'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'
import { AboutSettings } from './AboutSettings.tsx'
import { AppearanceSettings } from './AppearanceSettings.tsx'
import { DisplayNameSettings } from './DisplayNameSettings.tsx'
import { ShortcutsSettings } from './ShortcutsSettings.tsx'
import { StorageSettings } from './StorageSettings.tsx'

/// Settings: where code runs (WebContainer in this tab, the default, or the local runtime agent on this machine),
/// the signed-in user's display name, appearance (theme, font sizes) and storage on this device, the keyboard shortcuts, and About (server, network,
/// isolation). `section: 'shortcuts'` opens it at the shortcuts, their search field focused.
export function RuntimeSettings({ onClose, section }: { onClose: () => void; section?: 'shortcuts' | undefined }) {
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
            <strong>Local runtime</strong> — a real shell, Node, npm and native tools on your own machine.
          </span>
        </label>
        <LocalAgentCommand command={localRuntimeCommand(services.env.origin)} />
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
        {/* The display name, appearance and storage take effect at once (no Save); Save and Cancel close the dialog, so
            they come last. */}
        <DisplayNameSettings />
        <AppearanceSettings />
        <StorageSettings />
        <ShortcutsSettings focusSearch={section === 'shortcuts'} />
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

/// How long the Copy button says "Copied".
const COPIED_MS = 2000

/// The command that starts the local runtime agent for this IDE, with a Copy button. Where the clipboard is refused,
/// the command is selected instead so Ctrl+C copies it.
function LocalAgentCommand({ command }: { command: string }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const commandRef = useRef<HTMLElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (copy !== 'copied') return
    const timer = setTimeout(() => setCopy('idle'), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copy])
  const onCopy = async () => {
    const ok = await copyText(command, () => buttonRef.current?.focus())
    setCopy(ok ? 'copied' : 'failed')
    if (!ok && commandRef.current) getSelection()?.selectAllChildren(commandRef.current)
  }
  return (
    <div className="agent-command">
      <div className="agent-command-line">
        <code ref={commandRef} data-testid="settings.localCommand">
          {command}
        </code>
        <button
          ref={buttonRef}
          type="button"
          className="btn btn-small"
          onClick={() => void onCopy()}
          data-testid="settings.copyCommand"
          data-state={copy}
          aria-live="polite"
        >
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="form-hint" data-testid="settings.commandHint">
        Run it in a terminal to start Slipway's runtime on this computer: it runs this IDE's terminals, npm and dev servers
        with your user's rights, lets only this page connect, and prints the URL to paste below.
      </p>
      {copy === 'failed' && (
        <p className="form-error" role="alert">
          The browser refused the clipboard: the command is selected, press Ctrl+C to copy it.
        </p>
      )}
    </div>
  )
}
