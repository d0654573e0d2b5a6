import type { PreviewsState } from '../../core/preview/Previews.ts'
import type { RunState, RunStep } from '../../core/run/runState.ts'
import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'
import { runDetail } from '../run/runDetail.ts'
import { stepperView } from '../run/stepperView.ts'
import type { FailureView, StepId } from '../run/stepperView.ts'

/// What the preview pane's body shows, from the previews and (optionally) the run stepper and the runtime's boot.
export type PreviewView =
  | { kind: 'frame'; url: string; port: number; origin: string; frameKey: string }
  /// A port is open but its server does not answer HTTP yet.
  | { kind: 'waiting'; port: number }
  /// `detail`: the last npm line or the command, when it says more than the step's name.
  | { kind: 'starting'; step: RunStep; detail?: string }
  /// The run (or the runtime under it) failed: where the person reads why, with Show terminal and Retry.
  | { kind: 'failed'; step: StepId; failure: FailureView }
  /// A script that ran to its end without serving anything, with what it printed.
  | { kind: 'finished'; code: number; output: string; watching: boolean }
  /// Nothing to show: never run, or stopped.
  | { kind: 'idle' }

/// `url` resolved against the port's URL, as `Previews.currentUrl` does.
export function previewView(s: PreviewsState, run?: RunState, runtime?: RuntimeStatus): PreviewView {
  const port = s.ports.find((p) => p.port === s.selected)
  if (port?.ready) {
    const url = new URL(s.path, port.url)
    return { kind: 'frame', url: url.toString(), port: port.port, origin: url.origin, frameKey: `${port.port}:${s.reloads}` }
  }
  const stepper = run ? stepperView(run, runtime) : undefined
  if (stepper?.failure) return { kind: 'failed', step: stepper.step ?? 'booting', failure: stepper.failure }
  switch (run?.status) {
    case 'running': {
      const detail = runDetail(run.detail)
      return { kind: 'starting', step: run.step, ...(detail ? { detail } : {}) }
    }
    case 'exited':
      return { kind: 'finished', code: run.code, output: run.output, watching: run.watching }
    case 'ready':
    case 'failed':
    case 'idle':
    case undefined:
      // The run saw a server but it is not (or no longer) among the open ports: wait if it is still listed.
      return port ? { kind: 'waiting', port: port.port } : { kind: 'idle' }
  }
}

/// The URL bar's read-only part: host and port, without the scheme.
export function displayOrigin(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//i, '')
}
