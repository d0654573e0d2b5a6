import type { PreviewsState } from '../../core/preview/Previews.ts'
import type { RunState, RunStep } from '../../core/run/runState.ts'
import { runDetail } from '../run/runDetail.ts'

/// What the preview pane's body shows, from the previews and (optionally) the run stepper.
export type PreviewView =
  | { kind: 'frame'; url: string; port: number; origin: string; frameKey: string }
  /// A port is open but its server does not answer HTTP yet.
  | { kind: 'waiting'; port: number }
  /// `detail`: the last npm line or the command, when it says more than the step's name.
  | { kind: 'starting'; step: RunStep; detail?: string }
  | { kind: 'failed'; error: string; hint: string }
  /// Nothing to show: never run, stopped, or a script that finished without serving (`exitCode`).
  | { kind: 'idle'; exitCode?: number }

/// `url` resolved against the port's URL, as `Previews.currentUrl` does.
export function previewView(s: PreviewsState, run?: RunState): PreviewView {
  const port = s.ports.find((p) => p.port === s.selected)
  if (port?.ready) {
    const url = new URL(s.path, port.url)
    return { kind: 'frame', url: url.toString(), port: port.port, origin: url.origin, frameKey: `${port.port}:${s.reloads}` }
  }
  switch (run?.status) {
    case 'running': {
      const detail = runDetail(run.detail)
      return { kind: 'starting', step: run.step, ...(detail ? { detail } : {}) }
    }
    case 'failed':
      return { kind: 'failed', error: run.error, hint: run.hint }
    case 'ready':
      // The run saw a server but it is not (or no longer) among the open ports: wait if it is still listed.
      return port ? { kind: 'waiting', port: port.port } : { kind: 'idle' }
    case 'exited':
      return { kind: 'idle', exitCode: run.code }
    case 'idle':
    case undefined:
      return port ? { kind: 'waiting', port: port.port } : { kind: 'idle' }
  }
}

/// The URL bar's read-only part: host and port, without the scheme.
export function displayOrigin(origin: string): string {
  return origin.replace(/^[a-z]+:\/\//i, '')
}
