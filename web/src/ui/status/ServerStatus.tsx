import { useEffect, useState } from 'react'
import type { HealthCheck } from '../../adapters/api/health.ts'
import { unreachable } from '../../core/unreachable.ts'
import { StatusPill } from './StatusPill.tsx'

type ServerState = { readonly state: 'loading' } | HealthCheck

/// Asks the server for its health once on mount and shows the answer.
export function ServerStatus({ checkHealth }: { readonly checkHealth: (signal: AbortSignal) => Promise<HealthCheck> }) {
  const [server, setServer] = useState<ServerState>({ state: 'loading' })

  useEffect(() => {
    const controller = new AbortController()
    void checkHealth(controller.signal).then((result) => {
      if (!controller.signal.aborted) setServer(result)
    })
    return () => controller.abort()
  }, [checkHealth])

  switch (server.state) {
    case 'loading':
      return (
        <StatusPill tone="pending" testId="app.server" data={{ state: 'loading' }}>
          Server: checking…
        </StatusPill>
      )
    case 'ok':
      return (
        <StatusPill tone="ok" testId="app.server" data={{ state: 'ok' }}>
          Server: {server.health.db} v{server.health.version}
        </StatusPill>
      )
    case 'error':
      return (
        <StatusPill tone="error" testId="app.server" data={{ state: 'error' }} title={server.reason}>
          Server unreachable
        </StatusPill>
      )
    default:
      return unreachable(server)
  }
}
