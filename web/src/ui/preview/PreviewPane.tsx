import { OpenIcon, RefreshIcon } from '../common/icons.tsx'
import { useMemo, useState, useSyncExternalStore } from 'react'
import type { Previews } from '../../core/preview/Previews.ts'
import type { RunState } from '../../core/run/runState.ts'
import type { RuntimeStatus } from '../../core/session/ProjectSession.ts'
import type { Store } from '../../core/store.ts'
import { FailureDetails } from '../run/RunFailure.tsx'
import { failureTitle } from '../run/stepperView.ts'
import '../run/run.css'
import { badge, consoleCounts, consoleSummary } from './consoleMessages.ts'
import './preview.css'
import { PreviewConsole } from './PreviewConsole.tsx'
import { displayOrigin, previewView } from './previewView.ts'
import type { PreviewView } from './previewView.ts'

export interface PreviewPaneProps {
  readonly previews: Previews
  /// The run stepper (`session.run.store`), for what to show while nothing serves: how to start, progress, why
  /// it failed, or what a finished script printed. Without it the pane only knows about ports.
  readonly runStatus?: Store<RunState>
  /// The runtime's boot (`session.runtimeStatus`): a runtime that could not start is explained here.
  readonly runtimeStatus?: Store<RuntimeStatus>
  /// Retry after a failure (`session.run.start`).
  readonly onRetry?: () => void
  /// Shows the terminal with the run's output.
  readonly onShowTerminal?: () => void
  /// A read-only copy (a share link's viewer): a failure's hint says to fork rather than to fix and save.
  readonly readOnly?: boolean
  /// Asks the assistant to fix a failed run or the console's errors (absent where there is no assistant).
  readonly onFixWithAi?: ((kind: 'run_error' | 'console_errors') => void) | undefined
}

// The preview is another origin (WebContainer's, or the local runtime's loopback proxy), so it cannot reach the IDE
// either way; the sandbox only takes away navigating the IDE's tab. It keeps its own origin (`allow-same-origin`)
// because previews need their storage and service worker (WebContainer's preview relay is one), as bolt.diy does.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads allow-pointer-lock allow-presentation'
// The IDE is cross-origin isolated; previews may be too (SharedArrayBuffer, wasm threads) when delegated.
const ALLOW = 'cross-origin-isolated; clipboard-read; clipboard-write; fullscreen'

const noSubscribe = () => () => {}
const noRun = () => undefined

/// The preview of the selected server: a URL bar (origin, editable path, port switcher), reload, open in a new
/// tab, and the preview's console. While nothing serves it says how to start, shows progress, or the failure.
export function PreviewPane({ previews, runStatus, runtimeStatus, onRetry, onShowTerminal, onFixWithAi, readOnly = false }: PreviewPaneProps) {
  const s = useSyncExternalStore(previews.store.subscribe, previews.store.get)
  const run = useSyncExternalStore(runStatus?.subscribe ?? noSubscribe, runStatus?.get ?? noRun)
  const runtime = useSyncExternalStore(runtimeStatus?.subscribe ?? noSubscribe, runtimeStatus?.get ?? noRun)
  const view = previewView(s, run, runtime)
  const counts = useMemo(() => consoleCounts(s.console), [s.console])
  // "1 error, 2 warnings" for the console toggle, or "".
  const summary = consoleSummary(counts)
  const [consoleOpen, setConsoleOpen] = useState(false)

  // The path field edits a draft; a navigation elsewhere (port switch, reset) replaces it.
  const pathKey = `${s.selected ?? ''}|${s.path}`
  const [draft, setDraft] = useState(s.path)
  const [draftFor, setDraftFor] = useState(pathKey)
  if (draftFor !== pathKey) {
    setDraftFor(pathKey)
    setDraft(s.path)
  }

  const [loadedKey, setLoadedKey] = useState<string | undefined>()
  const frame = view.kind === 'frame' ? view : undefined
  const loading = frame !== undefined && loadedKey !== frame.frameKey
  const portCount = s.ports.length

  return (
    <section className="pv-pane" data-testid="preview.pane" aria-label="Preview">
      <div className="pv-bar">
        <button
          type="button"
          className="pv-icon-button"
          data-testid="preview.reload"
          aria-label="Reload preview"
          title="Reload"
          disabled={!frame}
          onClick={() => previews.reload()}
        >
          <RefreshIcon size={16} />
        </button>
        {portCount > 1 && (
          <div className="pv-ports" role="group" aria-label="Server ports">
            {s.ports.map((p) => (
              <button
                key={p.port}
                type="button"
                className="pv-port"
                data-testid="preview.port"
                data-port={p.port}
                data-ready={p.ready}
                aria-pressed={p.port === s.selected}
                // Said as "Port 4000", not "colon 4000".
                aria-label={p.ready ? `Port ${p.port}` : `Port ${p.port}, not answering yet`}
                title={p.ready ? `Show the server on port ${p.port}` : `Port ${p.port} is not answering yet`}
                onClick={() => previews.select(p.port)}
              >
                :{p.port}
              </button>
            ))}
          </div>
        )}
        <form
          className="pv-url"
          data-disabled={!frame}
          onSubmit={(e) => {
            e.preventDefault()
            previews.navigate(draft.trim() || '/')
          }}
        >
          {frame && (
            <span className="pv-origin" title={frame.origin} data-testid="preview.origin">
              {displayOrigin(frame.origin)}
            </span>
          )}
          <input
            className="pv-path"
            data-testid="preview.path"
            aria-label="Path"
            value={draft}
            disabled={!frame}
            placeholder="/"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            autoComplete="off"
            enterKeyHint="go"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setDraft(s.path)
            }}
          />
        </form>
        <a
          className="pv-icon-button"
          data-testid="preview.open"
          aria-label="Open in a new tab"
          title="Open in a new tab"
          target="_blank"
          rel="noopener noreferrer"
          {...(frame ? { href: frame.url } : { role: 'link', 'aria-disabled': true })}
        >
          <OpenIcon />
        </a>
        <button
          type="button"
          className="pv-icon-button pv-console-toggle"
          data-testid="preview.console-toggle"
          aria-label={summary ? `Console, ${summary}` : 'Console'}
          title={summary ? `Console: ${summary}` : 'Console'}
          aria-expanded={consoleOpen}
          aria-controls="preview-console"
          onClick={() => setConsoleOpen((o) => !o)}
        >
          <ConsoleIcon />
          {counts.errors > 0 && (
            <span className="pv-badge" data-testid="preview.console-badge">
              {badge(counts.errors)}
            </span>
          )}
        </button>
      </div>
      {loading && <div className="pv-progress" role="progressbar" aria-label="Loading the preview" />}
      <div className="pv-body">
        {view.kind === 'frame' ? (
          <iframe
            key={view.frameKey}
            className="pv-frame"
            data-testid="preview.frame"
            title={`Preview of port ${view.port}`}
            src={view.url}
            sandbox={SANDBOX}
            allow={ALLOW}
            onLoad={() => setLoadedKey(view.frameKey)}
          />
        ) : (
          <PreviewEmpty view={view} hasRun={runStatus !== undefined} onRetry={onRetry} onShowTerminal={onShowTerminal} onFixWithAi={onFixWithAi} readOnly={readOnly} />
        )}
      </div>
      {consoleOpen && (
        <PreviewConsole
          messages={s.console}
          counts={counts}
          onClear={() => previews.clearConsole()}
          onClose={() => setConsoleOpen(false)}
          onFixWithAi={onFixWithAi && !readOnly ? () => onFixWithAi('console_errors') : undefined}
        />
      )}
    </section>
  )
}

interface PreviewEmptyProps {
  readonly view: Exclude<PreviewView, { kind: 'frame' }>
  readonly hasRun: boolean
  readonly onRetry?: (() => void) | undefined
  readonly onShowTerminal?: (() => void) | undefined
  readonly onFixWithAi?: ((kind: 'run_error' | 'console_errors') => void) | undefined
  readonly readOnly: boolean
}

function PreviewEmpty({ view, hasRun, onRetry, onShowTerminal, onFixWithAi, readOnly }: PreviewEmptyProps) {
  switch (view.kind) {
    case 'starting':
      return (
        <div className="pv-empty" data-testid="preview.empty" data-state="starting" role="status">
          <span className="spinner pv-spinner" aria-hidden="true" />
          <p className="pv-empty-title">{STEP_TITLE[view.step]}</p>
          {view.detail && (
            <p className="pv-empty-detail" title={view.detail}>
              {view.detail}
            </p>
          )}
        </div>
      )
    case 'waiting':
      return (
        <div className="pv-empty" data-testid="preview.empty" data-state="waiting" role="status">
          <span className="spinner pv-spinner" aria-hidden="true" />
          <p className="pv-empty-title">Waiting for port {view.port} to answer…</p>
        </div>
      )
    case 'failed':
      return (
        <div className="pv-empty pv-report" data-testid="preview.empty" data-state="failed" role="alert">
          <p className="pv-report-title">
            <ErrorIcon />
            {failureTitle(view.step)}
          </p>
          <FailureDetails failure={view.failure} onRetry={onRetry} onShowTerminal={onShowTerminal} onFixWithAi={onFixWithAi && (() => onFixWithAi('run_error'))} readOnly={readOnly} />
        </div>
      )
    case 'finished':
      return (
        <div className="pv-empty pv-report" data-testid="preview.empty" data-state="finished" role="status">
          <p className="pv-report-title" data-testid="preview.finished">
            <DoneIcon />
            Finished (exit {view.code})
          </p>
          <p className="run-failure-summary">The script ran to its end without starting a server{view.output ? '. It printed:' : '.'}</p>
          {view.output && (
            <pre className="run-error" data-testid="preview.output" tabIndex={0} aria-label="Output">
              {view.output}
            </pre>
          )}
          <p className="run-hint">{view.watching ? 'It runs again when you save a change.' : 'Press Run (F5) to run it again.'}</p>
          {onShowTerminal && (
            <div className="run-failure-actions">
              <button type="button" className="run-button" data-testid="preview.show-terminal" onClick={onShowTerminal}>
                Show terminal
              </button>
            </div>
          )}
        </div>
      )
    case 'idle':
      return (
        <div className="pv-empty" data-testid="preview.empty" data-state="idle">
          <PreviewIcon />
          <p className="pv-empty-title">Run the project to see a preview</p>
          <p className="pv-empty-hint">
            {hasRun ? (
              <>
                Press Run (<kbd>F5</kbd>). When a server starts listening, it shows here.
              </>
            ) : (
              'When a server starts listening, it shows here.'
            )}
          </p>
        </div>
      )
  }
}

const STEP_TITLE = { booting: 'Starting the runtime…', installing: 'Installing dependencies…', starting: 'Starting the server…' } as const

function ConsoleIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="2" y="3" width="12" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="m4.5 6.5 2 1.5-2 1.5M8 10h3" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

function PreviewIcon() {
  return (
    <svg className="pv-empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect x="6" y="9" width="36" height="30" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M6 17h36" stroke="currentColor" strokeWidth="2" />
      <path d="m21 23 8 5-8 5z" fill="currentColor" />
    </svg>
  )
}

function ErrorIcon() {
  return (
    <svg className="pv-report-icon pv-report-icon-error" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M8 4.8v3.7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="8" cy="11" r="0.9" fill="currentColor" />
    </svg>
  )
}

function DoneIcon() {
  return (
    <svg className="pv-report-icon pv-report-icon-ok" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="m5.2 8.3 2 2 3.8-4.3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
