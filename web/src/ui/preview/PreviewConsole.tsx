import { useLayoutEffect, useMemo, useRef } from 'react'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import { badge, groupConsole } from './consoleMessages.ts'
import type { ConsoleCounts } from './consoleMessages.ts'

export interface PreviewConsoleProps {
  readonly messages: readonly PreviewMessage[]
  readonly counts: ConsoleCounts
  readonly onClear: () => void
  readonly onClose: () => void
}

/// What the preview printed: one row per message (identical runs collapsed with a count), newest at the bottom,
/// stacks folded. Follows new messages while scrolled to the bottom.
export function PreviewConsole({ messages, counts, onClear, onClose }: PreviewConsoleProps) {
  const rows = useMemo(() => groupConsole(messages), [messages])
  const list = useRef<HTMLOListElement>(null)
  const atBottom = useRef(true)

  useLayoutEffect(() => {
    const el = list.current
    if (el && atBottom.current) el.scrollTop = el.scrollHeight
  }, [rows])

  return (
    <div className="pv-console" id="preview-console" data-testid="preview.console">
      <div className="pv-console-head">
        <span className="pv-console-title">Console</span>
        {counts.errors > 0 && <span className="pv-count" data-level="error">{badge(counts.errors)} errors</span>}
        {counts.warnings > 0 && <span className="pv-count" data-level="warn">{badge(counts.warnings)} warnings</span>}
        <span className="pv-spacer" />
        <button type="button" className="pv-text-button" data-testid="preview.console-clear" onClick={onClear} disabled={messages.length === 0}>
          Clear
        </button>
        <button type="button" className="pv-icon-button pv-icon-button-small" aria-label="Close console" title="Close" onClick={onClose}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="m4.5 4.5 7 7m0-7-7 7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" fill="none" />
          </svg>
        </button>
      </div>
      <ol
        className="pv-console-list"
        ref={list}
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8
        }}
      >
        {rows.length === 0 && <li className="pv-console-empty">Nothing logged yet. The preview's console.log and errors show here.</li>}
        {rows.map((row) => (
          <li key={row.key} className="pv-console-item" data-testid="preview.console-item" data-level={row.message.level} data-kind={row.message.kind}>
            <LevelIcon level={row.message.level} />
            <div className="pv-console-text">
              <span className="pv-console-message">{row.text}</span>
              {row.stack && (
                <details className="pv-console-stack">
                  <summary>Stack</summary>
                  <pre>{row.stack}</pre>
                </details>
              )}
            </div>
            {row.count > 1 && (
              <span className="pv-console-repeat" title={`${row.count} times`}>
                {badge(row.count)}
              </span>
            )}
          </li>
        ))}
      </ol>
    </div>
  )
}

function LevelIcon({ level }: { level: PreviewMessage['level'] }) {
  const label = { log: 'log', info: 'info', warn: 'warning', error: 'error' }[level]
  return (
    <svg className="pv-level" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label={label}>
      {level === 'error' ? (
        <>
          <circle cx="8" cy="8" r="6" fill="currentColor" />
          <path d="m5.8 5.8 4.4 4.4m0-4.4-4.4 4.4" stroke="var(--bg-editor)" strokeWidth="1.5" strokeLinecap="round" />
        </>
      ) : level === 'warn' ? (
        <>
          <path d="M8 2 14.5 13.5h-13z" fill="currentColor" />
          <path d="M8 6.5v3.2" stroke="var(--bg-editor)" strokeWidth="1.5" strokeLinecap="round" />
          <circle cx="8" cy="11.6" r="0.9" fill="var(--bg-editor)" />
        </>
      ) : level === 'info' ? (
        <>
          <circle cx="8" cy="8" r="6" fill="currentColor" />
          <path d="M8 7.3v3.7" stroke="var(--bg-editor)" strokeWidth="1.5" strokeLinecap="round" />
          <circle cx="8" cy="5" r="0.9" fill="var(--bg-editor)" />
        </>
      ) : (
        <path d="m5.5 4.5 3.5 3.5-3.5 3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      )}
    </svg>
  )
}
