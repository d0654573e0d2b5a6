import { useEffect, useRef, useState } from 'react'
import type { AiSession, AiState, ConversationSummary } from '../../core/ai/index.ts'
import type { ColorScheme } from '../../core/appearance/appearance.ts'
import { useFocusContext, useKeybindingLabel } from '../commands/hooks.ts'
import { useFocusRescue } from '../hooks/useFocusRescue.ts'
import { useStore } from '../hooks/useStore.ts'
import { Link } from '../router.tsx'
import { useServices } from '../services.tsx'
import './ai.css'
import { formatTokens, noticeFades } from './aiView.ts'
import { Composer } from './Composer.tsx'
import { MessageList } from './MessageList.tsx'
import { Review } from './Review.tsx'

export interface AiPanelProps {
  ai: AiSession
  theme: ColorScheme
  /// Bumped to move focus to the question field (the panel opened, Ctrl+Alt+I).
  focusRequest: number
  onClose: () => void
  /// Shows the terminal tab a command of the assistant runs in.
  onShowTerminal: () => void
  onOpenFile: (path: string) => void
}

/// The assistant of the open project: a side panel on desktop, a pane of its own on phones. Asks the server whether
/// the assistant is on when it opens (opening a project asks nothing). Conversations are read from this browser,
/// offline too; sending needs the network and a signed-in account.
export function AiPanel({ ai, theme, focusRequest, onClose, onShowTerminal, onOpenFile }: AiPanelProps) {
  const services = useServices()
  const state = useStore(ai.store)
  const account = useStore(services.account.store)
  const online = useStore(services.connectivity.store, (s) => s.online)
  const root = useRef<HTMLElement>(null)
  const [history, setHistory] = useState(false)
  useFocusContext(root, 'aiPanelFocus')
  // Accept, Reject, Undo turn, Run, Deny and Stop remove (or replace) the button that was pressed: focus goes to the
  // next thing waiting for the person (a command to approve, a file to review), else to the question, as in VS Code.
  useFocusRescue(root, () => {
    const panel = root.current
    if (!panel) return undefined
    const next = panel.querySelector<HTMLElement>('[data-testid="ai.approve"], [data-testid="ai.accept"]')
    if (next) return next
    const question = panel.querySelector<HTMLTextAreaElement>('[data-testid="ai.input"]')
    return question && !question.disabled ? question : panel.querySelector<HTMLElement>('[data-testid="ai.close"]')
  })
  const openKey = useKeybindingLabel('workbench.action.chat.open')

  useEffect(() => {
    void ai.refreshStatus()
  }, [ai])
  // Back online: the status may have been an error only because the network was gone.
  useEffect(() => {
    if (online && ai.state.status.phase === 'error') void ai.refreshStatus()
  }, [ai, online])

  const status = state.status
  const off = status.phase === 'ready' && !status.enabled
  const anonymous = account.state === 'anonymous'
  const blocked = off ? 'The assistant is off on this server' : anonymous ? 'Sign in to use the assistant' : !online ? 'Offline: sending needs the network' : undefined
  const active = state.turn.phase === 'streaming' || state.turn.phase === 'awaiting_approval'

  // A confirmation ("Undone: 1 file restored.") goes away after a few seconds; any notice goes when the next turn
  // starts, since it was about what came before.
  const notice = state.notice
  useEffect(() => {
    if (!notice || !noticeFades(notice)) return
    const timer = setTimeout(() => {
      if (ai.state.notice === notice) ai.dismissNotice()
    }, NOTICE_FADE_MS)
    return () => clearTimeout(timer)
  }, [ai, notice])
  const streamingTurn = state.turn.phase === 'streaming' ? state.turn.turnId : undefined
  const lastTurn = useRef(streamingTurn)
  useEffect(() => {
    if (!streamingTurn || streamingTurn === lastTurn.current) return
    lastTurn.current = streamingTurn
    if (ai.state.notice) ai.dismissNotice()
  }, [ai, streamingTurn])

  return (
    <section className="ai-panel" ref={root} aria-labelledby="ai-panel-title" data-testid="ai.panel" data-status={status.phase === 'ready' ? (status.enabled ? 'on' : 'off') : status.phase}>
      <header className="ai-head">
        <h2 id="ai-panel-title" className="ai-title" title={openKey ? `Assistant (${openKey})` : 'Assistant'}>
          Assistant
        </h2>
        <span className="ai-conv-title" title={state.conversation?.title}>
          {history ? 'Conversations' : (state.conversation?.title ?? 'New conversation')}
        </span>
        <button type="button" className="btn btn-ghost btn-small" aria-pressed={history} onClick={() => setHistory((h) => !h)} data-testid="ai.history" title="Conversations kept in this browser">
          History
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            if (ai.newConversation().ok) setHistory(false)
          }}
          disabled={active}
          data-testid="ai.new"
          title="New conversation"
          aria-label="New conversation"
        >
          New
        </button>
        <button type="button" className="btn btn-ghost btn-small ai-close" onClick={onClose} data-testid="ai.close" aria-label="Close the assistant" title="Close (Escape)">
          ×
        </button>
      </header>
      {!online && (
        <p className="ai-banner" role="status" data-testid="ai.offline">
          Offline: conversations can be read, sending needs the network.
        </p>
      )}
      {/* Always there, so what appears in it is announced (politely: it never interrupts). */}
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="ai.notice-region">
        {notice && (
          <p className="ai-banner" data-testid="ai.notice">
            <span className="ai-notice-text">{notice}</span>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => ai.dismissNotice()} aria-label="Dismiss">
              ×
            </button>
          </p>
        )}
      </div>
      {history ? (
        <History ai={ai} state={state} onOpen={() => setHistory(false)} />
      ) : off ? (
        <Off reason={status.reason} />
      ) : (
        <>
          {status.phase === 'error' && (
            <div className="ai-banner ai-banner-error" role="alert" data-testid="ai.status-error">
              <span>The assistant could not be reached: {status.error.message}</span>
              <button type="button" className="btn btn-small" onClick={() => void ai.refreshStatus()}>
                Retry
              </button>
            </div>
          )}
          {anonymous && <SignIn />}
          {state.conversation?.messages.length ? (
            <MessageList ai={ai} conversation={state.conversation} turn={state.turn} staged={state.staged} blocked={blocked} onShowTerminal={onShowTerminal} onOpenFile={onOpenFile} />
          ) : (
            <Empty loading={!state.loaded || status.phase === 'loading'} anonymous={anonymous} />
          )}
          {state.turn.phase === 'error' && state.turn.turnId === undefined && (
            <p className="ai-error ai-turn-error" role="alert" data-testid="ai.error">
              {state.turn.error.message}
            </p>
          )}
          <Review ai={ai} staged={state.staged} theme={theme} />
          <Composer ai={ai} state={state} disabled={blocked} canType={!off && !anonymous} focusRequest={focusRequest} />
          <Footer ai={ai} state={state} />
        </>
      )}
    </section>
  )
}

/// How long a confirmation stays: long enough to read, short enough not to be mistaken for news later.
const NOTICE_FADE_MS = 6_000

function Empty({ loading, anonymous }: { loading: boolean; anonymous: boolean }) {
  if (loading)
    return (
      <div className="ai-empty" aria-busy="true" data-testid="ai.loading">
        <span className="spinner" aria-hidden="true" /> Checking the assistant…
      </div>
    )
  if (anonymous) return <div className="ai-empty" />
  return (
    <div className="ai-empty" data-testid="ai.empty">
      <p className="ai-empty-title">Ask about this project</p>
      <p>The assistant reads the project, proposes small edits you review before they apply, and runs commands only when you allow them. Each turn can be undone.</p>
    </div>
  )
}

/// The server has no key: the assistant is off until its operator sets one.
function Off({ reason }: { reason: string | undefined }) {
  return (
    <div className="ai-empty ai-off" data-testid="ai.off">
      <p className="ai-empty-title">The assistant is off on this server</p>
      <p>{reason ?? 'The server has no Anthropic API key.'}</p>
      {reason?.includes('ANTHROPIC_API_KEY') ? (
        <p>The key stays on the server; the browser never sees it.</p>
      ) : (
        <p>
          Whoever runs the server turns it on by setting <code>ANTHROPIC_API_KEY</code> in its environment and restarting it. The key stays on the server;
          the browser never sees it.
        </p>
      )}
    </div>
  )
}

function SignIn() {
  return (
    <div className="ai-banner" data-testid="ai.signin">
      <span>Sign in to use the assistant: it answers signed-in accounts only, within a daily budget each.</span>
      <Link to="/signin" className="btn btn-primary btn-small">
        Sign in
      </Link>
    </div>
  )
}

/// Today's use against the budget, the model, and the settings.
function Footer({ ai, state }: { ai: AiSession; state: AiState }) {
  const models = state.status.phase === 'ready' ? state.status.models : []
  const budget = state.budget
  return (
    <footer className="ai-foot">
      {budget && (
        <span className="ai-budget" data-testid="ai.budget" title={`Resets ${new Date(budget.resetsAt).toLocaleString()}`}>
          <meter min={0} max={Math.max(1, budget.limit)} value={Math.min(budget.used, budget.limit)} aria-label="Today's use of the token budget" />
          Today {formatTokens(budget.used)} of {formatTokens(budget.limit)} tokens
        </span>
      )}
      <details className="ai-settings">
        <summary data-testid="ai.settings">Settings</summary>
        <div className="ai-settings-body">
          {models.length > 1 && (
            <label className="ai-setting">
              Model
              <select value={state.model ?? ''} onChange={(e) => ai.setModel(e.target.value || undefined)} data-testid="ai.model">
                <option value="">Server default ({models[0]?.id})</option>
                {models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="ai-setting">
            <input type="checkbox" checked={state.applyAtOnce} onChange={(e) => ai.setApplyAtOnce(e.target.checked)} data-testid="ai.apply-at-once" />
            Apply edits at once (each turn can still be undone)
          </label>
          {state.allowedCommands.length > 0 && (
            <div className="ai-setting ai-allowed">
              <span>Commands run without asking:</span>
              <ul>
                {state.allowedCommands.map((c) => (
                  <li key={c}>
                    <code>{c}</code>
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => ai.forgetCommand(c)} aria-label={`Ask again before running ${c}`}>
                      Forget
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </details>
    </footer>
  )
}

/// The project's conversations in this browser, most recent first: open one, or delete it.
function History({ ai, state, onOpen }: { ai: AiSession; state: AiState; onOpen: () => void }) {
  const [error, setError] = useState<string>()
  const list = state.conversations
  const open = async (c: ConversationSummary) => {
    const r = await ai.select(c.id)
    if (r.ok) onOpen()
    else setError(r.message)
  }
  const remove = async (c: ConversationSummary) => {
    const r = await ai.deleteConversation(c.id)
    if (!r.ok) setError(r.message)
  }
  return (
    <div className="ai-history" data-testid="ai.history-list">
      {error && (
        <p className="ai-error" role="alert">
          {error}
        </p>
      )}
      {list.length === 0 ? (
        <p className="ai-empty">No conversations yet.</p>
      ) : (
        <ul>
          {list.map((c) => (
            <li key={c.id} className="ai-history-item" data-testid="ai.history-item" aria-current={state.conversation?.id === c.id ? 'true' : undefined}>
              <button type="button" className="ai-history-open" onClick={() => void open(c)}>
                <span className="ai-history-title">{c.title}</span>
                <span className="ai-muted">
                  {new Date(c.updatedAt).toLocaleString()} · {c.messages} message{c.messages === 1 ? '' : 's'}
                </span>
              </button>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => void remove(c)} aria-label={`Delete “${c.title}”`} data-testid="ai.history-delete">
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
