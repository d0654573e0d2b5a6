import { statusProblems } from '../../core/status/Connectivity.ts'
import type { StatusProblem } from '../../core/status/Connectivity.ts'
import { unreachable } from '../../core/unreachable.ts'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'
import { StatusPill } from './StatusPill.tsx'

/// The top bar's status: nothing while all is well; a short pill for each thing that is wrong (offline, the server
/// unreachable, a page that cannot run code in this tab). The details live in Settings → About.
export function AppStatus() {
  const { connectivity, env, runtimeChoice } = useServices()
  const state = useStore(connectivity.store)
  const choice = useStore(runtimeChoice)
  const problems = statusProblems(state, { isolated: env.crossOriginIsolated, needsIsolation: choice.kind === 'webcontainer' })
  return (
    // A live region that exists while empty, so a problem appearing later is announced.
    <span className="app-problems" role="status" data-testid="app.problems">
      {problems.map((p) => (
        <ProblemPill key={p.kind} problem={p} />
      ))}
    </span>
  )
}

function ProblemPill({ problem }: { problem: StatusProblem }) {
  switch (problem.kind) {
    case 'offline':
      return (
        <StatusPill tone="warn" testId="app.problem" data={{ problem: 'offline' }} title="This device is offline. Your edits are saved here and sync when it reconnects.">
          Offline
        </StatusPill>
      )
    case 'server':
      return (
        <StatusPill tone="error" testId="app.problem" data={{ problem: 'server' }} title={`The Slipway server does not answer (${problem.reason}). Edits are saved here meanwhile.`}>
          Server unreachable
        </StatusPill>
      )
    case 'isolation':
      return (
        <StatusPill
          tone="warn"
          testId="app.problem"
          data={{ problem: 'isolation' }}
          title="This page is not cross-origin isolated, so WebContainer cannot run code in this tab. The server must send Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy."
        >
          Not isolated
        </StatusPill>
      )
    default:
      return unreachable(problem)
  }
}
