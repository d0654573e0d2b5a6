import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'

const NEXT_STEP: Record<string, string> = {
  'not-isolated': 'This page is not cross-origin isolated, so WebContainer cannot run here.',
  'unsupported-browser': 'This browser cannot run WebContainer (it needs a Chromium-based browser or Firefox with SharedArrayBuffer).',
  network: 'WebContainer could not load its runtime from StackBlitz (network or firewall).',
  unauthorized: 'The local runtime refused the connection: the URL or token is wrong, or this origin is not allowed.',
  unknown: 'The runtime could not start.',
}

/// Shown where the runtime's absence is felt (terminal, preview) while it boots or after it failed to.
export function RuntimeBanner({ status, onSettings }: { status: RuntimeStatus; onSettings: () => void }) {
  if (status.phase === 'ready') return null
  if (status.phase === 'booting') {
    return (
      <div className="banner banner-info" role="status" data-testid="runtime.booting">
        <span className="spinner" aria-hidden="true" /> Starting {status.kind === 'local' ? 'the local runtime' : 'WebContainer'}… You can edit files meanwhile.
      </div>
    )
  }
  // One line: the preview pane explains the failure in full (saying it three times on one screen helps nobody).
  return (
    <div className="banner banner-error" role="alert" data-testid="runtime.failed" data-reason={status.failure.reason}>
      <div>
        <strong>{NEXT_STEP[status.failure.reason] ?? NEXT_STEP.unknown}</strong>
      </div>
      <button className="btn" onClick={onSettings} data-testid="runtime.settings">
        {status.kind === 'local' ? 'Check runtime settings' : 'Use the local runtime'}
      </button>
    </div>
  )
}
