import type { HealthCheck } from '../adapters/api/health.ts'
import type { AppEnv } from '../core/env.ts'
import './app.css'
import { TopBar } from './TopBar.tsx'
import { Workbench } from './workbench/Workbench.tsx'

export interface AppProps {
  readonly env: AppEnv
  readonly checkHealth: (signal: AbortSignal) => Promise<HealthCheck>
}

/// The app frame: top bar over the workbench.
export function App({ env, checkHealth }: AppProps) {
  return (
    <div className="app">
      <TopBar env={env} checkHealth={checkHealth} />
      <Workbench />
    </div>
  )
}
