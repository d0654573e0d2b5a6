import { useState } from 'react'
import { SignOutDialog } from './account/SignOutDialog.tsx'
import { useStore } from './hooks/useStore.ts'
import { Logo } from './Logo.tsx'
import { Link } from './router.tsx'
import { useServices } from './services.tsx'
import { AppStatus } from './status/AppStatus.tsx'
import { useCommandAvailable, useKeybindingLabel } from './commands/hooks.ts'
import { AI_OPEN } from './commands/workbenchCommands.ts'
import { SparkIcon } from './common/icons.tsx'

/// One row on every screen: the brand, a status only when something is wrong, the assistant in an open project,
/// Settings and the account.
export function TopBar({ onRuntimeSettings }: { onRuntimeSettings: () => void }) {
  const { account, commands } = useServices()
  const user = useStore(account.store)
  // The open project's assistant, where there is one (the workbench handles the command).
  const assistant = useCommandAvailable(AI_OPEN)
  const assistantKey = useKeybindingLabel(AI_OPEN)
  const [signingOut, setSigningOut] = useState(false)
  return (
    <header className="topbar" data-testid="app.topbar">
      <Link to="/" className="topbar-brand" aria-label="Slipway — projects">
        <Logo className="topbar-logo" />
        <span className="topbar-name">Slipway</span>
      </Link>
      <div className="topbar-status" data-testid="app.status">
        <AppStatus />
        {assistant && (
          <button
            type="button"
            className="btn btn-ghost btn-small topbar-ai"
            onClick={() => commands.execute(AI_OPEN)}
            data-testid="app.assistant"
            title={assistantKey ? `Assistant (${assistantKey})` : 'Assistant'}
            aria-label="Assistant"
            aria-keyshortcuts="Control+Alt+I"
          >
            <SparkIcon />
            <span className="topbar-ai-label">Assistant</span>
          </button>
        )}
        <button className="btn btn-ghost btn-small" onClick={onRuntimeSettings} data-testid="app.runtime-settings" title="Display name, runtime, appearance, storage and about">
          Settings
        </button>
        {user.state === 'signed-in' ? (
          <span className="account" data-testid="app.account">
            <span className="account-email" title={user.user.email}>
              {user.user.email}
            </span>
            <button
              className="btn btn-ghost btn-small"
              data-testid="app.signout"
              onClick={() => setSigningOut(true)}
            >
              Sign out
            </button>
          </span>
        ) : user.state === 'anonymous' ? (
          <span className="account">
            <Link to="/signin" className="btn btn-ghost btn-small" data-testid="app.signin">
              Sign in
            </Link>
            <Link to="/signup" className="btn btn-primary btn-small" data-testid="app.signup">
              Sign up
            </Link>
          </span>
        ) : null}
      </div>
      {signingOut && user.state === 'signed-in' && <SignOutDialog userId={user.user.id} onClose={() => setSigningOut(false)} />}
    </header>
  )
}
