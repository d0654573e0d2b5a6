import { useEffect, useId, useRef } from 'react'
import type { KeyboardEvent } from 'react'
import type { AiSession, AiState } from '../../core/ai/index.ts'

const CHIP_NAME = { file: 'Open file', selection: 'Selection', run_error: 'Run error', console_errors: 'Console errors' } as const

/// Where the person writes: the context chips to attach (each toggles; one with nothing to attach now is greyed out),
/// the question (Enter sends, Shift+Enter starts a new line), Send, or Stop while an answer streams. `disabled` says
/// why nothing can be sent now; with `canType` (offline) the question can still be written, and Send says why it waits.
export function Composer({ ai, state, disabled, canType, focusRequest }: { ai: AiSession; state: AiState; disabled: string | undefined; canType: boolean; focusRequest: number }) {
  const input = useRef<HTMLTextAreaElement>(null)
  const reasonId = useId()
  const typingBlocked = !!disabled && !canType
  const active = state.turn.phase === 'streaming' || state.turn.phase === 'awaiting_approval'
  useEffect(() => {
    if (focusRequest) input.current?.focus()
  }, [focusRequest])
  // Grows with what is typed, up to a third of the panel.
  useEffect(() => {
    const el = input.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`
  }, [state.draft])

  const send = () => {
    if (active || disabled || !state.draft.trim()) return
    void ai.send()
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }
  return (
    <form
      className="ai-composer"
      data-testid="ai.composer"
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      <div className="ai-chips" role="group" aria-label="Context to send">
        {state.context.map((c) => {
          const on = state.attached.includes(c.kind) && c.available
          return (
            <button
              key={c.kind}
              type="button"
              className="ai-chip"
              data-testid="ai.chip"
              data-kind={c.kind}
              aria-pressed={on}
              disabled={!c.available}
              title={c.available ? `${on ? 'Leave out' : 'Attach'} ${c.label}` : c.label}
              onClick={() => (state.attached.includes(c.kind) ? ai.detach(c.kind) : ai.attach(c.kind))}
            >
              <span className="ai-chip-name">{CHIP_NAME[c.kind]}</span>
              {c.available && <span className="ai-chip-label">{c.label}</span>}
            </button>
          )
        })}
      </div>
      <div className="ai-input-row">
        <textarea
          ref={input}
          className="ai-input"
          data-testid="ai.input"
          aria-label="Ask the assistant"
          placeholder={typingBlocked ? disabled : 'Ask about this project (Enter sends, Shift+Enter: new line)'}
          rows={2}
          value={state.draft}
          disabled={typingBlocked}
          aria-describedby={disabled && !typingBlocked ? reasonId : undefined}
          onChange={(e) => ai.setDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {active ? (
          <button type="button" className="btn btn-small ai-send" onClick={() => ai.stop()} data-testid="ai.stop" title="Stop (Escape)" aria-keyshortcuts="Escape">
            Stop
          </button>
        ) : (
          <button
            type="submit"
            className="btn btn-primary btn-small ai-send"
            data-testid="ai.send"
            disabled={!!disabled || !state.draft.trim()}
            aria-describedby={disabled && !typingBlocked ? reasonId : undefined}
            title={disabled ?? 'Send (Enter)'}
          >
            Send
          </button>
        )}
      </div>
      {disabled && !typingBlocked && (
        <p id={reasonId} className="ai-send-reason" data-testid="ai.send-reason">
          {disabled}
        </p>
      )}
    </form>
  )
}
