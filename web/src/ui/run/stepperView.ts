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
  readonly failure?: FailureView
  /// A script that ran to its end without serving: what it printed.
  readonly finished?: { readonly code: number; readonly output: string; readonly watching: boolean }
}

export interface FailureView {
  /// What failed, in a sentence.
  readonly error: string
  /// The program's key error line, when its output has one.
  readonly line?: string
  /// The meaningful lines of its output.
  readonly excerpt?: string
  readonly hint: string
  /// Retry can help: not when the runtime itself did not boot (a retry would get the same answer; reload instead).
  readonly retry: boolean
  /// A terminal tab holds the whole output.
  readonly terminal: boolean
}

/// The failure's hint for a read-only copy (a share link's viewer): the usual hints say to fix the code, which a
/// viewer cannot do there; they fork to change it.
export function failureHint(failure: FailureView, readOnly: boolean): string {
  if (!readOnly || !failure.hint) return failure.hint
  return failure.retry ? 'This copy is read-only: fork it to fix the code, or press Retry.' : 'This copy is read-only: fork it to fix the code.'
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
        // The failure's message says what to do (BootFailure): no hint to repeat it.
        return {
          status: 'failed',
          step: 'booting',
          steps: steps(upTo('booting', 'failed')),
          failure: { error: runtime.failure.message, hint: '', retry: false, terminal: false },
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
      return {
        status: 'exited',
        step: 'ready',
        steps: steps(() => 'done', { ready: `exit ${run.code}` }, { ready: 'Finished' }),
        finished: { code: run.code, output: run.output, watching: run.watching },
      }
    case 'failed': {
      const booting = run.step === 'booting'
      return {
        status: 'failed',
        step: run.step,
        steps: steps(upTo(run.step, 'failed'), run.line ? { [run.step]: run.line } : {}),
        failure: {
          error: run.error,
          ...(run.line ? { line: run.line } : {}),
          ...(run.excerpt ? { excerpt: run.excerpt } : {}),
          hint: run.hint,
          retry: !booting,
          terminal: !booting,
        },
      }
    }
  }
}

/// The heading of a failure at each step.
export function failureTitle(step: StepId | undefined): string {
  switch (step) {
    case 'installing':
      return 'npm install failed'
    case 'starting':
      return 'The project did not start'
    case 'ready':
      return 'The project stopped'
    case 'booting':
    case undefined:
      return 'The runtime did not start'
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
