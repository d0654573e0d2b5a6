import type { HealthCheck } from '../adapters/api/health.ts'
import type { AppEnv } from '../core/env.ts'
import { Logo } from './Logo.tsx'
import { IsolationStatus } from './status/IsolationStatus.tsx'
import { ServerStatus } from './status/ServerStatus.tsx'

export interface TopBarProps {
  readonly env: AppEnv
  readonly checkHealth: (signal: AbortSignal) => Promise<HealthCheck>
}

export function TopBar({ env, checkHealth }: TopBarProps) {
  return (
    <header className="topbar" data-testid="app.topbar">
      <div className="topbar-brand">
        <Logo className="topbar-logo" />
        <span className="topbar-name">Slipway</span>
      </div>
      <div className="topbar-status" data-testid="app.status">
        <ServerStatus checkHealth={checkHealth} />
        <IsolationStatus isolated={env.crossOriginIsolated} />
        <span className="status-coep" data-testid="app.coep" title="Cross-Origin-Embedder-Policy sent by the server">
          COEP {env.coep}
        </span>
      </div>
    </header>
  )
}
