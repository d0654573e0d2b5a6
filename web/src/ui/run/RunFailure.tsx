import { RefreshIcon, SparkIcon, TerminalIcon } from '../common/icons.tsx'
import { failureHint, type FailureView } from './stepperView.ts'

export interface FailureDetailsProps {
  readonly failure: FailureView
  readonly onRetry?: (() => void) | undefined
  readonly onShowTerminal?: (() => void) | undefined
  /// Asks the assistant to fix it (a project of one's own, with an assistant).
  readonly onFixWithAi?: (() => void) | undefined
  /// A read-only copy (a share link's viewer): the hint says to fork rather than to fix and save.
  readonly readOnly?: boolean | undefined
}

/// Why a run failed, for a person: the summary, the program's key error line, the lines around it, what to do,
/// and Show terminal / Retry. Used by the preview pane (where the failure shows) and the stepper's details popover.
export function FailureDetails({ failure, onRetry, onShowTerminal, onFixWithAi, readOnly = false }: FailureDetailsProps) {
  const hint = failureHint(failure, readOnly)
  const excerpt = failure.excerpt && failure.excerpt !== failure.line ? failure.excerpt : undefined
  const showTerminal = failure.terminal && onShowTerminal
  const retry = failure.retry && onRetry
  const fix = !readOnly && onFixWithAi
  return (
    <>
      <p className="run-failure-summary" data-testid="run.error-summary">
        {failure.error}
      </p>
      {failure.line && (
        <p className="run-failure-line" data-testid="run.error-line">
          {failure.line}
        </p>
      )}
      {excerpt && (
        <pre className="run-error" data-testid="run.error" tabIndex={0} aria-label="Output around the error">
          {excerpt}
        </pre>
      )}
      {hint && <p className="run-hint">{hint}</p>}
      {(showTerminal || retry || fix) && (
        <div className="run-failure-actions">
          {showTerminal && (
            <button type="button" className="run-button" data-testid="run.show-terminal" onClick={onShowTerminal}>
              <TerminalIcon />
              <span>Show terminal</span>
            </button>
          )}
          {fix && (
            <button type="button" className="run-button" data-testid="run.fix-with-ai" onClick={onFixWithAi}>
              <SparkIcon />
              <span>Fix with AI</span>
            </button>
          )}
          {retry && (
            <button type="button" className="run-button run-button-primary run-retry" data-testid="run.retry" onClick={onRetry}>
              <RefreshIcon />
              <span>Retry</span>
            </button>
          )}
        </div>
      )}
    </>
  )
}
