import { PREVIEW_CONSOLE_LEVELS } from '@slipway/shared'
import type { PreviewConsoleLevel } from '@slipway/shared'
import { useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import './console.css'
import { badge, countLabel, groupConsole, visibleMessages } from './consoleMessages.ts'
import type { ConsoleCounts } from './consoleMessages.ts'

export interface PreviewConsoleProps {
  readonly messages: readonly PreviewMessage[]
  readonly counts: ConsoleCounts
  readonly onClear: () => void
  readonly onClose: () => void
  /// Asks the assistant to fix the errors (shown while there are some).
  readonly onFixWithAi?: (() => void) | undefined
}

/// What the preview printed: one row per message (identical runs collapsed with a count), newest at the bottom,
/// stacks folded. A toggle per level that has messages shows its count and hides or shows that level. Follows new
/// messages while scrolled to the bottom.
export function PreviewConsole({ messages, counts, onClear, onClose, onFixWithAi }: PreviewConsoleProps) {
  const [hidden, setHidden] = useState<ReadonlySet<PreviewConsoleLevel>>(() => new Set())
  const shown = useMemo(() => visibleMessages(messages, hidden), [messages, hidden])
  const rows = useMemo(() => groupConsole(shown), [shown])
  const list = useRef<HTMLOListElement>(null)
  const atBottom = useRef(true)

  useLayoutEffect(() => {
    const el = list.current
    if (el && atBottom.current) el.scrollTop = el.scrollHeight
  }, [rows])

  const toggle = (level: PreviewConsoleLevel) =>
    setHidden((h) => {
      const next = new Set(h)
      if (!next.delete(level)) next.add(level)
      return next
    })
  // A level's toggle shows once it has messages, and stays while it is hidden so it can be shown again.
  const levels = PREVIEW_CONSOLE_LEVELS.filter((level) => counts.byLevel[level] > 0 || hidden.has(level))

  return (
    <div className="pv-console" id="preview-console" data-testid="preview.console">
      <div className="pv-console-head">
        <span className="pv-console-title">Console</span>
        <div className="pv-console-levels" role="group" aria-label="Levels shown">
          {levels.map((level) => {
            const on = !hidden.has(level)
            const label = countLabel(counts.byLevel[level], level)
            return (
              <button
                key={level}
                type="button"
                className="pv-level-toggle"
                data-testid="preview.console-level"
                data-level={level}
                aria-pressed={on}
                title={`${on ? 'Hide' : 'Show'} ${LEVEL_NAME[level]}`}
                onClick={() => toggle(level)}
              >
                <LevelIcon level={level} decorative />
                {label}
              </button>
            )
          })}
        </div>
        {onFixWithAi && counts.byLevel.error > 0 && (
          <button type="button" className="pv-text-button" data-testid="preview.fix-with-ai" onClick={onFixWithAi} title="Ask the assistant to fix the errors">
            Fix with AI
          </button>
        )}
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
        aria-label="Console messages"
        onScroll={(e) => {
          const el = e.currentTarget
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8
        }}
      >
        {messages.length === 0 && <li className="pv-console-empty">Nothing logged yet. The preview's console.log and errors show here.</li>}
        {messages.length > 0 && rows.length === 0 && (
          <li className="pv-console-empty" data-testid="preview.console-filtered">
            {badge(messages.length)} {messages.length === 1 ? 'message is' : 'messages are'} hidden by the level filters.
          </li>
        )}
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

const LEVEL_NAME: Record<PreviewConsoleLevel, string> = { error: 'errors', warn: 'warnings', info: 'info', log: 'logs', debug: 'debug messages' }
const LEVEL_LABEL: Record<PreviewConsoleLevel, string> = { error: 'error', warn: 'warning', info: 'info', log: 'log', debug: 'debug' }

/// The level's icon; `decorative` where a text next to it already names the level.
function LevelIcon({ level, decorative = false }: { level: PreviewConsoleLevel; decorative?: boolean }) {
  const a11y = decorative ? ({ 'aria-hidden': true, focusable: false } as const) : ({ role: 'img', 'aria-label': LEVEL_LABEL[level] } as const)
  return (
    <svg className="pv-level" viewBox="0 0 16 16" width="14" height="14" data-level={level} {...a11y}>
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
      ) : level === 'debug' ? (
        <circle cx="8" cy="8" r="2.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      ) : (
        <path d="m5.5 4.5 3.5 3.5-3.5 3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      )}
    </svg>
  )
}
