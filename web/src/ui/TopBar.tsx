import { useState } from 'react'
import { SignOutDialog } from './account/SignOutDialog.tsx'
import { useStore } from './hooks/useStore.ts'
import { Logo } from './Logo.tsx'
import { Link } from './router.tsx'
import { useServices } from './services.tsx'
import { IsolationStatus } from './status/IsolationStatus.tsx'
import { ServerStatus } from './status/ServerStatus.tsx'

export function TopBar({ onRuntimeSettings }: { onRuntimeSettings: () => void }) {
  const { env, checkHealth, account } = useServices()
  const user = useStore(account.store)
  const [signingOut, setSigningOut] = useState(false)
  return (
    <header className="topbar" data-testid="app.topbar">
      <Link to="/" className="topbar-brand" aria-label="Slipway — projects">
        <Logo className="topbar-logo" />
        <span className="topbar-name">Slipway</span>
      </Link>
      <div className="topbar-status" data-testid="app.status">
        <ServerStatus checkHealth={checkHealth} />
        <IsolationStatus isolated={env.crossOriginIsolated} />
        <span className="status-coep" data-testid="app.coep" title="Cross-Origin-Embedder-Policy sent by the server">
          COEP {env.coep}
        </span>
        <button className="btn btn-ghost btn-small" onClick={onRuntimeSettings} data-testid="app.runtime-settings" title="Runtime and storage settings">
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
