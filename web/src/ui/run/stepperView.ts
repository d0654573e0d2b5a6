import type { RunState } from '../../core/run/runState.ts'
import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'
import { runDetail } from './runDetail.ts'

export type StepId = 'booting' | 'installing' | 'starting' | 'ready'
export type StepState = 'done' | 'active' | 'failed' | 'pending'

export interface StepView {
  readonly id: StepId
  readonly label: string
  readonly state: StepState
  /// A short line under or beside the label: the last npm line, `:5173`, …
  readonly detail?: string
}

export interface StepperView {
  /// `RunState.status`, except that a runtime that could not boot makes an idle run `failed`.
  readonly status: RunState['status']
  /// The step in progress or that failed; `ready` once serving; undefined when idle.
  readonly step: StepId | undefined
  readonly steps: readonly StepView[]
  readonly failure?: { readonly error: string; readonly hint: string; readonly retry: boolean }
}

const ORDER: readonly StepId[] = ['booting', 'installing', 'starting', 'ready']

const LABELS: Record<StepId, string> = { booting: 'Boot', installing: 'Install', starting: 'Start', ready: 'Ready' }

function steps(stateOf: (id: StepId, index: number) => StepState, details: Partial<Record<StepId, string>> = {}, labels: Partial<Record<StepId, string>> = {}): StepView[] {
  return ORDER.map((id, i) => {
    const detail = details[id]
    return { id, label: labels[id] ?? LABELS[id], state: stateOf(id, i), ...(detail ? { detail } : {}) }
  })
}

const upTo = (current: StepId, at: StepState) => (id: StepId, i: number): StepState => {
  const c = ORDER.indexOf(current)
  return i < c ? 'done' : i === c ? at : 'pending'
}

/// The stepper's view model: which step is done, in progress, failed or still to come.
export function stepperView(run: RunState, runtime?: RuntimeStatus): StepperView {
  switch (run.status) {
    case 'idle': {
      if (runtime?.phase === 'failed') {
        return {
          status: 'failed',
          step: 'booting',
          steps: steps(upTo('booting', 'failed')),
          failure: { error: runtime.failure.message, hint: bootHint(runtime.failure.reason), retry: false },
        }
      }
      // Not running yet, but the runtime boots in the background: show it, so the first Run is not a surprise wait.
      const boot: StepState = runtime?.phase === 'booting' ? 'active' : runtime?.phase === 'ready' ? 'done' : 'pending'
      return {
        status: 'idle',
        step: undefined,
        steps: steps((id) => (id === 'booting' ? boot : 'pending')),
      }
    }
    case 'running': {
      const detail = run.step === 'installing' && run.packages !== undefined ? `${run.packages} packages` : runDetail(run.detail)
      return { status: 'running', step: run.step, steps: steps(upTo(run.step, 'active'), detail ? { [run.step]: detail } : {}) }
    }
    case 'ready':
      return { status: 'ready', step: 'ready', steps: steps(() => 'done', { ready: `:${run.port}` }) }
    case 'exited':
      return { status: 'exited', step: 'ready', steps: steps(() => 'done', { ready: `code ${run.code}` }, { ready: 'Exited' }) }
    case 'failed':
      return {
        status: 'failed',
        step: run.step,
        steps: steps(upTo(run.step, 'failed')),
        failure: { error: run.error, hint: run.hint, retry: true },
      }
  }
}

function bootHint(reason: string): string {
  switch (reason) {
    case 'not-isolated':
      return 'The page is not cross-origin isolated; reload it, or ask whoever hosts it to send COOP/COEP headers.'
    case 'unsupported-browser':
      return 'Use a recent Chromium, Firefox or Safari, or switch to the local runtime.'
    case 'network':
      return 'Check your connection (or that the local runtime is running), then reload.'
    case 'unauthorized':
      return 'The local runtime refused the connection; check its URL and token.'
    default:
      return 'Reload the page to try again.'
  }
}

/// Elapsed time for the active step: `0.4 s` … `9.9 s`, `12 s`, `1:05`, `1:02:03`.
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 10) return `${(Math.floor(s * 10) / 10).toFixed(1)} s`
  if (s < 60) return `${Math.floor(s)} s`
  const total = Math.floor(s)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/// The last `lines` non-empty lines of an error, for the failure box (the full text stays scrollable).
export function lastLines(text: string, lines: number): string {
  const all = text.replace(/\r/g, '').split('\n')
  while (all.length && !all[all.length - 1]!.trim()) all.pop()
  return all.slice(-lines).join('\n')
}
