import { RefreshIcon } from '../common/icons.tsx'
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { CSSProperties, RefObject } from 'react'
import type { RunController } from '../../core/run/RunController.ts'
import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'
import type { Store } from '../../core/store.ts'
import './run.css'
import { FailureDetails } from './RunFailure.tsx'
import { useCommandHandler, useContextClaim, useFocusContext, useKeybindingLabel } from '../commands/hooks.ts'
import { failureTitle, formatElapsed, stepperView } from './stepperView.ts'
import type { FailureView, StepId, StepState, StepperView } from './stepperView.ts'
import { useStepClock } from './useStepClock.ts'

export { useRunCommands } from './useRunCommands.ts'

export interface RunControlsProps {
  readonly run: RunController
  /// The runtime's boot state (`session.runtimeStatus`): shown on the first step before anything runs, and as the
  /// failure when the runtime could not start.
  readonly runtimeStatus: Store<RuntimeStatus>
  /// Makes the terminal pane visible (the controller brings the failing step's tab to the front).
  readonly onShowTerminal?: () => void
  /// Asks the assistant to fix a failure (absent where there is no assistant).
  readonly onFixWithAi?: (() => void) | undefined
  /// The column the details popover covers when it is visible and wide enough (the preview pane, which shows the
  /// same failure): it then covers neither the file tree nor the editor. Otherwise it opens at the right.
  readonly popoverColumn?: RefObject<HTMLElement | null>
  /// A read-only copy (a share link's viewer): a failure's hint says to fork rather than to fix and save.
  readonly readOnly?: boolean
}

/// Run / Restart and Stop buttons with the run stepper (boot → install → start → ready), sized for a header bar.
/// A failure marks its step with the key error line; the failure itself shows in the preview pane, and "Details"
/// opens it here too (for phones, where the preview is another pane). Keys: see `useRunCommands`.
export function RunControls({ run, runtimeStatus, onShowTerminal, onFixWithAi, popoverColumn, readOnly = false }: RunControlsProps) {
  const state = useSyncExternalStore(run.store.subscribe, run.store.get)
  const runtime = useSyncExternalStore(runtimeStatus.subscribe, runtimeStatus.get)
  const view = stepperView(state, runtime)
  // A watcher that finished or crashed is still running, waiting for a change: it can be stopped or restarted.
  const busy = state.status === 'running' || state.status === 'ready' || (state.status === 'exited' && state.watching) || (state.status === 'failed' && state.waiting === true)
  const ticking = view.steps.some((s) => s.state === 'active')
  const elapsed = useStepClock(`${view.status}:${view.step ?? ''}:${runtime.phase}`, ticking)
  const [open, setOpen] = useState(false)
  const chip = useRef<HTMLButtonElement>(null)
  const root = useRef<HTMLDivElement>(null)
  const close = useCallback(() => setOpen(false), [])
  const keys = { start: useKeybindingLabel('slipway.run.start'), stop: useKeybindingLabel('slipway.run.stop'), restart: useKeybindingLabel('slipway.run.restart') }
  const withKey = (label: string, key: string | undefined) => (key ? `${label} (${key})` : label)

  const start = () => {
    setOpen(false)
    void run.start()
  }
  const showTerminal = () => {
    setOpen(false)
    run.showOutput()
    onShowTerminal?.()
  }
  return (
    <div className="run-controls" ref={root} data-testid="run.controls">
      <button
        type="button"
        className="run-button run-button-primary"
        data-testid="run.button"
        onClick={start}
        title={busy ? withKey('Restart', keys.restart) : withKey('Run', keys.start)}
        aria-label={busy ? 'Restart' : 'Run'}
      >
        {busy ? <RefreshIcon /> : <PlayIcon />}
        <span className="run-button-label">{busy ? 'Restart' : 'Run'}</span>
      </button>
      {busy && (
        <button
          type="button"
          className="run-button"
          data-testid="run.stop"
          onClick={() => run.stop()}
          title={withKey('Stop', keys.stop)}
          aria-label="Stop"
        >
          <StopIcon />
          <span className="run-button-label">Stop</span>
        </button>
      )}
      <Stepper view={view} elapsed={elapsed} />
      {view.failure && (
        <button
          type="button"
          ref={chip}
          className="run-chip"
          data-testid="run.details"
          aria-label="Error details"
          aria-expanded={open}
          title="Error details"
          onClick={() => setOpen((o) => !o)}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M8 4.8v3.7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            <circle cx="8" cy="11" r="0.9" fill="currentColor" />
          </svg>
          <span className="run-chip-label">Details</span>
        </button>
      )}
      {view.failure && open && (
        <FailurePanel
          anchor={root}
          column={popoverColumn}
          toggle={chip}
          step={view.step}
          failure={view.failure}
          onRetry={start}
          onShowTerminal={showTerminal}
          onFixWithAi={
            onFixWithAi &&
            (() => {
              setOpen(false)
              onFixWithAi()
            })
          }
          readOnly={readOnly}
          onClose={close}
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
        ? `Finished (${view.steps[3]?.detail ?? ''})`
        : active
          ? `${active.label}: ${active.state === 'failed' ? `failed${active.detail ? `, ${active.detail}` : ''}` : (active.detail ?? 'in progress')}`
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
            {s.detail && view.status === 'exited' && s.id === 'ready' ? (
              // "Finished (exit 0)"; phones keep "Finished".
              <span className="run-step-exit"> ({s.detail})</span>
            ) : (
              s.detail &&
              (s.state === 'active' || s.state === 'failed' || s.id === 'ready') && (
                <span className="run-step-detail" data-testid={s.state === 'failed' ? 'run.failure-line' : undefined}>
                  {s.detail}
                </span>
              )
            )}
          </li>
        ))}
      </ol>
      <span className="run-visually-hidden" role="status" aria-live="polite">
        {summary}
      </span>
    </>
  )
}

interface FailurePanelProps {
  readonly anchor: RefObject<HTMLDivElement | null>
  readonly column: RefObject<HTMLElement | null> | undefined
  /// The button that opens and closes the panel: a click on it is not a click outside.
  readonly toggle: RefObject<HTMLButtonElement | null>
  readonly step: StepId | undefined
  readonly failure: FailureView
  readonly onRetry: () => void
  readonly onShowTerminal: () => void
  readonly onFixWithAi: (() => void) | undefined
  readonly readOnly: boolean
  readonly onClose: () => void
}

const PANEL_WIDTH = 520
const MIN_COLUMN = 320
const MARGIN = 8

/// The failure in a popover under the header, opened on request. On wide screens it sits over the preview column
/// (which shows the same failure), so it never covers the file tree or the editor where the fix goes; elsewhere at
/// the right. It closes on a click anywhere else (the editor included) and on the first Escape wherever focus is,
/// and stays under modal dialogs. Fixed-positioned, so a header with `overflow: hidden` cannot clip it.
function FailurePanel({ anchor, column, toggle, step, failure, onRetry, onShowTerminal, onFixWithAi, readOnly, onClose }: FailurePanelProps) {
  const [style, setStyle] = useState<CSSProperties>({ visibility: 'hidden' })
  const panel = useRef<HTMLDivElement>(null)

  useLayoutEffect(() => {
    const place = () => {
      const rect = anchor.current?.getBoundingClientRect()
      if (!rect) return
      const over = column?.current?.getBoundingClientRect()
      if (over && over.width >= MIN_COLUMN) {
        const width = Math.min(PANEL_WIDTH, over.width - 2 * MARGIN)
        setStyle({ top: rect.bottom + 6, left: over.right - width - MARGIN, width })
        return
      }
      const width = Math.min(PANEL_WIDTH, window.innerWidth - 2 * MARGIN)
      setStyle({ top: rect.bottom + 6, left: window.innerWidth - width - MARGIN, width })
    }
    place()
    // After a resize the layout may switch (desktop ↔ phone) in the render that follows: measure after it.
    let frame = 0
    const later = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(place)
    }
    const resized = new ResizeObserver(later)
    if (column?.current) resized.observe(column.current)
    window.addEventListener('resize', later)
    window.addEventListener('scroll', place, true)
    return () => {
      cancelAnimationFrame(frame)
      resized.disconnect()
      window.removeEventListener('resize', later)
      window.removeEventListener('scroll', place, true)
    }
  }, [anchor, column])

  useEffect(() => {
    panel.current?.focus({ preventScroll: true })
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node
      if (panel.current?.contains(target) || toggle.current?.contains(target)) return
      onClose()
    }
    document.addEventListener('pointerdown', onPointer, true)
    return () => document.removeEventListener('pointerdown', onPointer, true)
  }, [onClose, toggle])

  // Escape, wherever focus is (the keydown layer sees it before an editor or terminal could swallow it), but not in
  // a modal dialog or quick open: see the command's when clause.
  useContextClaim('runFailureVisible')
  useFocusContext(panel, 'dialogFocus')
  useCommandHandler('slipway.run.hideFailure', () => {
    const hadFocus = panel.current?.contains(document.activeElement) ?? false
    onClose()
    if (hadFocus) toggle.current?.focus()
  })

  return (
    <div className="run-failure" role="dialog" aria-label={failureTitle(step)} data-testid="run.failure" style={style} ref={panel} tabIndex={-1}>
      <div className="run-failure-head">
        <StepIcon state="failed" />
        <strong>{failureTitle(step)}</strong>
        <button type="button" className="run-icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <FailureDetails failure={failure} onRetry={onRetry} onShowTerminal={onShowTerminal} onFixWithAi={onFixWithAi} readOnly={readOnly} />
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

function CloseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="m4.5 4.5 7 7m0-7-7 7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" fill="none" />
    </svg>
  )
}
