import { useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { CSSProperties, RefObject } from 'react'
import type { RunController } from '../../core/run/RunController.ts'
import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'
import type { Store } from '../../core/store.ts'
import './run.css'
import { RUN_SHORTCUT_LABELS } from './shortcuts.ts'
import { formatElapsed, lastLines, stepperView } from './stepperView.ts'
import type { StepId, StepState, StepperView } from './stepperView.ts'
import { useStepClock } from './useStepClock.ts'

export { useRunShortcuts } from './useRunShortcuts.ts'

export interface RunControlsProps {
  readonly run: RunController
  /// The runtime's boot state (`session.runtimeStatus`): shown on the first step before anything runs, and as the
  /// failure when the runtime could not start.
  readonly runtimeStatus: Store<RuntimeStatus>
}

/// Run / Restart and Stop buttons with the run stepper (boot → install → start → ready), sized for a header bar.
/// A failure opens a panel under the controls with the error's last lines and Retry. Keys: see `useRunShortcuts`.
export function RunControls({ run, runtimeStatus }: RunControlsProps) {
  const state = useSyncExternalStore(run.store.subscribe, run.store.get)
  const runtime = useSyncExternalStore(runtimeStatus.subscribe, runtimeStatus.get)
  const view = stepperView(state, runtime)
  const busy = state.status === 'running' || state.status === 'ready'
  const ticking = view.steps.some((s) => s.state === 'active')
  const elapsed = useStepClock(`${view.status}:${view.step ?? ''}:${runtime.phase}`, ticking)

  // The failure panel opens for each new failure (a new state object) until closed.
  const failureSource: object | undefined = view.failure ? (state.status === 'failed' ? state : runtime) : undefined
  const [closedFor, setClosedFor] = useState<object | undefined>()
  const showFailure = failureSource !== undefined && closedFor !== failureSource
  const root = useRef<HTMLDivElement>(null)

  const start = () => void run.start()
  return (
    <div className="run-controls" ref={root} data-testid="run.controls">
      <button
        type="button"
        className="run-button run-button-primary"
        data-testid="run.button"
        onClick={start}
        title={busy ? `Restart (${RUN_SHORTCUT_LABELS.restart})` : `Run (${RUN_SHORTCUT_LABELS.start})`}
        aria-label={busy ? 'Restart' : 'Run'}
      >
        {busy ? <RestartIcon /> : <PlayIcon />}
        <span className="run-button-label">{busy ? 'Restart' : 'Run'}</span>
      </button>
      {busy && (
        <button
          type="button"
          className="run-button"
          data-testid="run.stop"
          onClick={() => run.stop()}
          title={`Stop (${RUN_SHORTCUT_LABELS.stop})`}
          aria-label="Stop"
        >
          <StopIcon />
          <span className="run-button-label">Stop</span>
        </button>
      )}
      <Stepper view={view} elapsed={elapsed} />
      {failureSource && !showFailure && (
        <button type="button" className="run-chip" data-testid="run.details" aria-label="Error details" title="Error details" onClick={() => setClosedFor(undefined)}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M8 4.8v3.7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            <circle cx="8" cy="11" r="0.9" fill="currentColor" />
          </svg>
          <span className="run-chip-label">Details</span>
        </button>
      )}
      {view.failure && showFailure && (
        <FailurePanel
          anchor={root}
          step={view.step}
          failure={view.failure}
          onRetry={start}
          onClose={() => setClosedFor(failureSource)}
        />
      )}
    </div>
  )
}

function Stepper({ view, elapsed }: { view: StepperView; elapsed: number }) {
  const active = view.steps.find((s) => s.state === 'active' || s.state === 'failed')
  const summary =
    view.status === 'ready'
      ? `Ready on ${view.steps[3]?.detail ?? ''}`
      : view.status === 'exited'
        ? `Exited, ${view.steps[3]?.detail ?? ''}`
        : active
          ? `${active.label}: ${active.state === 'failed' ? 'failed' : (active.detail ?? 'in progress')}`
          : 'Not running'
  return (
    <>
      <ol className="run-steps" data-testid="run.stepper" data-status={view.status} data-step={view.step ?? ''} aria-label="Run progress">
        {view.steps.map((s) => (
          <li
            key={s.id}
            className="run-step"
            data-state={s.state}
            data-step-id={s.id}
            aria-current={s.state === 'active' ? 'step' : undefined}
            title={s.detail ? `${s.label}: ${s.detail}` : s.label}
          >
            <StepIcon state={s.state} />
            <span className="run-step-label">{s.label}</span>
            {s.state === 'active' && <span className="run-step-time">{formatElapsed(elapsed)}</span>}
            {s.detail && (s.state === 'active' || s.id === 'ready') && <span className="run-step-detail">{s.detail}</span>}
          </li>
        ))}
      </ol>
      <span className="run-visually-hidden" role="status" aria-live="polite">
        {summary}
      </span>
    </>
  )
}

const FAILED_TITLE: Record<StepId, string> = {
  booting: 'The runtime did not start',
  installing: 'npm install failed',
  starting: 'The project did not start',
  ready: 'The project stopped',
}

interface FailurePanelProps {
  readonly anchor: RefObject<HTMLDivElement | null>
  readonly step: StepId | undefined
  readonly failure: NonNullable<StepperView['failure']>
  readonly onRetry: () => void
  readonly onClose: () => void
}

const PANEL_WIDTH = 560
const MARGIN = 8

/// Fixed-positioned under the controls, so a header with `overflow: hidden` cannot clip it, and kept inside the
/// viewport on narrow screens.
function FailurePanel({ anchor, step, failure, onRetry, onClose }: FailurePanelProps) {
  const [style, setStyle] = useState<CSSProperties>({ visibility: 'hidden' })
  const pre = useRef<HTMLPreElement>(null)

  useLayoutEffect(() => {
    const place = () => {
      const rect = anchor.current?.getBoundingClientRect()
      if (!rect) return
      const width = Math.min(PANEL_WIDTH, window.innerWidth - 2 * MARGIN)
      const left = Math.max(MARGIN, Math.min(rect.left, window.innerWidth - width - MARGIN))
      setStyle({ top: rect.bottom + 6, left, width })
    }
    place()
    window.addEventListener('resize', place)
    window.addEventListener('scroll', place, true)
    return () => {
      window.removeEventListener('resize', place)
      window.removeEventListener('scroll', place, true)
    }
  }, [anchor])

  useLayoutEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight
  }, [failure.error])

  return (
    <div
      className="run-failure"
      role="alert"
      data-testid="run.failure"
      style={style}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose()
      }}
    >
      <div className="run-failure-head">
        <StepIcon state="failed" />
        <strong>{FAILED_TITLE[step ?? 'booting']}</strong>
        <button type="button" className="run-icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <pre className="run-error" data-testid="run.error" ref={pre} tabIndex={0}>
        {lastLines(failure.error, 200)}
      </pre>
      <p className="run-hint">{failure.hint}</p>
      {failure.retry && (
        <div className="run-failure-actions">
          <button type="button" className="run-button run-button-primary run-retry" data-testid="run.retry" onClick={onRetry}>
            <RestartIcon />
            <span>Retry</span>
          </button>
        </div>
      )}
    </div>
  )
}

function StepIcon({ state }: { state: StepState }) {
  switch (state) {
    case 'active':
      return <span className="run-step-icon spinner" aria-hidden="true" />
    case 'done':
      return (
        <svg className="run-step-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
          <path d="m3.5 8.5 3 3 6-7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      )
    case 'failed':
      return (
        <svg className="run-step-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
          <path d="m4.5 4.5 7 7m0-7-7 7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      )
    case 'pending':
      return (
        <svg className="run-step-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
          <circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        </svg>
      )
  }
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M4.5 3v10l8.5-5z" fill="currentColor" />
    </svg>
  )
}

function StopIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor" />
    </svg>
  )
}

function RestartIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M12.5 8a4.5 4.5 0 1 1-1.3-3.2M12.5 2.5v2.8H9.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

function CloseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="m4.5 4.5 7 7m0-7-7 7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" fill="none" />
    </svg>
  )
}
