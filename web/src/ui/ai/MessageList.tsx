import { useEffect, useId, useRef } from 'react'
import { totalTokens } from '../../core/ai/index.ts'
import type { AiSession, AnswerMessage, Conversation, StagedView, ToolActivity, ToolResult, TurnState } from '../../core/ai/index.ts'
import type { TurnView } from './aiView.ts'
import { formatCost, formatTokens, notRunLabel, resultLabel, resultsById, toolLabel, toolStat, turnsOf, undoState } from './aiView.ts'
import { Markdown } from './Markdown.tsx'

type Block = AnswerMessage['blocks'][number]
type ToolUse = Extract<Block, { type: 'tool_use' }>

export interface MessageListProps {
  ai: AiSession
  conversation: Conversation | undefined
  turn: TurnState
  /// The edits waiting for review: a tool line says whether its change is still staged, accepted or rejected.
  staged: readonly StagedView[]
  /// Why nothing can be sent now (offline, signed out, the assistant off), or undefined.
  blocked?: string
  onShowTerminal: () => void
  onOpenFile: (path: string) => void
}

/// The open conversation, turn by turn: the question with its context, the answers as Markdown with their tool calls
/// one line each, what each answer cost, Undo turn, and the approval a command waits for.
export function MessageList({ ai, conversation, turn, staged, blocked, onShowTerminal, onOpenFile }: MessageListProps) {
  const messages = conversation?.messages ?? []
  const turns = turnsOf(messages)
  const results = resultsById(messages)
  const list = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const activeTurn = turn.phase === 'streaming' || turn.phase === 'awaiting_approval' ? turn.turnId : undefined

  // Follow the answer while the person is at the bottom; leave them where they scrolled to otherwise.
  useEffect(() => {
    const el = list.current
    if (el && atBottom.current) el.scrollTop = el.scrollHeight
  })

  return (
    <div
      className="ai-messages"
      ref={list}
      data-testid="ai.messages"
      onScroll={(e) => {
        const el = e.currentTarget
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
      }}
    >
      {turns.map((t, i) => (
        <Turn
          key={t.turnId}
          lastTurn={i === turns.length - 1}
          blocked={blocked}
          ai={ai}
          view={t}
          results={results}
          conversation={conversation}
          turn={turn}
          staged={staged}
          active={t.turnId === activeTurn}
          onShowTerminal={onShowTerminal}
          onOpenFile={onOpenFile}
        />
      ))}
    </div>
  )
}

function Turn({
  ai,
  view,
  results,
  conversation,
  turn,
  staged,
  active,
  lastTurn,
  blocked,
  onShowTerminal,
  onOpenFile,
}: {
  ai: AiSession
  view: TurnView
  /// Only the conversation's last turn offers Retry (Retry runs the last turn again, as VS Code's chat does).
  lastTurn: boolean
  /// Why nothing can be sent now (offline, signed out, the assistant off); Retry says it too.
  blocked: string | undefined
  results: ReadonlyMap<string, ToolResult>
  conversation: Conversation | undefined
  turn: TurnState
  staged: readonly StagedView[]
  active: boolean
  onShowTerminal: () => void
  onOpenFile: (path: string) => void
}) {
  const undo = undoState(conversation, view.turnId)
  const answers = view.replies.filter((r): r is AnswerMessage => r.kind === 'answer')
  const streaming = active && turn.phase === 'streaming' ? turn : undefined
  const approval = active && turn.phase === 'awaiting_approval' ? turn : undefined
  return (
    <article className="ai-turn" data-testid="ai.turn" data-turn-id={view.turnId} aria-label="Question and answer">
      {view.prompt && (
        <div className="ai-prompt" data-testid="ai.prompt">
          <p className="ai-prompt-text">{view.prompt.text}</p>
          {view.prompt.context.length > 0 && (
            <ul className="ai-prompt-context" aria-label="Context sent">
              {view.prompt.context.map((c, i) => (
                <li key={i} className="ai-chip ai-chip-static" title={c.label}>
                  {c.label}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {answers.map((a, i) => (
        <Answer
          key={a.id}
          ai={ai}
          answer={a}
          results={results}
          last={lastTurn && i === answers.length - 1 && turn.phase !== 'streaming'}
          blocked={blocked}
          running={streaming?.tools ?? []}
          awaiting={approval?.toolUseId}
          label={(r) => resultLabel(r, view.turnId, conversation, staged)}
          onShowTerminal={onShowTerminal}
          onOpenFile={onOpenFile}
        />
      ))}
      {streaming && <Progress tools={streaming.tools} answered={answers.some((a) => a.blocks.length > 0)} />}
      {approval && <ApprovalCard ai={ai} toolUseId={approval.toolUseId} command={approval.command} />}
      {undo !== 'none' && !active && (
        <div className="ai-turn-foot">
          {undo === 'can' ? (
            <button type="button" className="btn btn-small" data-testid="ai.undo-turn" onClick={() => void ai.undoTurn(view.turnId)}>
              Undo turn
            </button>
          ) : (
            <span className="ai-muted" data-testid="ai.turn-undone">
              Turn undone
            </span>
          )}
        </div>
      )}
    </article>
  )
}

function Answer({
  ai,
  answer,
  results,
  last,
  blocked,
  running,
  awaiting,
  label,
  onShowTerminal,
  onOpenFile,
}: {
  ai: AiSession
  answer: AnswerMessage
  results: ReadonlyMap<string, ToolResult>
  last: boolean
  blocked: string | undefined
  running: readonly ToolActivity[]
  /// The command call waiting for the person's approval, if any.
  awaiting: string | undefined
  label: (result: ToolResult) => string
  onShowTerminal: () => void
  onOpenFile: (path: string) => void
}) {
  const tokens = answer.usage ? totalTokens(answer.usage) : undefined
  return (
    <div className="ai-answer" data-testid="ai.answer" data-stopped={answer.stopped ? 'true' : undefined} data-error={answer.error ? 'true' : undefined}>
      {answer.blocks.map((b, i) =>
        b.type === 'text' ? (
          <Markdown key={i} text={b.text} />
        ) : b.type === 'tool_use' ? (
          <ToolLine key={b.id} call={b} result={results.get(b.id)} label={label} running={running.some((t) => t.id === b.id)} awaiting={awaiting === b.id} ended={Boolean(answer.interrupted || answer.stopped || answer.error)} onShowTerminal={onShowTerminal} onOpenFile={onOpenFile} />
        ) : b.type === 'thinking' && b.thinking.trim() ? (
          <details key={i} className="ai-thinking">
            <summary>Thinking</summary>
            <p>{b.thinking}</p>
          </details>
        ) : null,
      )}
      {answer.stopped && <p className="ai-muted" data-testid="ai.stopped">Stopped.</p>}
      {answer.interrupted && <InterruptedMark ai={ai} last={last} blocked={blocked} />}
      {answer.note && <p className="ai-note">{answer.note}</p>}
      {answer.error && (
        <div className="ai-error" role="alert" data-testid="ai.answer-error">
          <span>{answer.error.message}</span>
          {last && <RetryButton ai={ai} blocked={blocked} />}
        </div>
      )}
      {tokens !== undefined && (
        <p className="ai-usage" data-testid="ai.usage" title={usageTitle(answer)}>
          {formatTokens(tokens)} tokens{answer.costUsd !== undefined ? ` · ${formatCost(answer.costUsd)}` : ''}
        </p>
      )}
    </div>
  )
}

/// An answer the page was closed on (a reload, a closed tab) before it finished: its partial text stays above this
/// mark, and Retry asks the question again (the partial text is not sent).
function InterruptedMark({ ai, last, blocked }: { ai: AiSession; last: boolean; blocked: string | undefined }) {
  return (
    <div className="ai-interrupted" data-testid="ai.interrupted">
      <span>Interrupted — the page was closed before the answer finished.</span>
      {last && <RetryButton ai={ai} blocked={blocked} />}
    </div>
  )
}

/// Runs the last turn again; off, with the reason beside it, while nothing can be sent (offline, for one).
function RetryButton({ ai, blocked }: { ai: AiSession; blocked: string | undefined }) {
  const reason = useId()
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        data-testid="ai.retry"
        disabled={blocked !== undefined}
        aria-describedby={blocked ? reason : undefined}
        onClick={() => void ai.retry()}
      >
        Retry
      </button>
      {blocked && (
        <span id={reason} className="ai-muted" data-testid="ai.retry-blocked">
          {blocked}
        </span>
      )}
    </>
  )
}

function usageTitle(a: AnswerMessage): string {
  const u = a.usage!
  return `Input ${u.input_tokens}, output ${u.output_tokens}, cache reads ${u.cache_read_input_tokens}, cache writes ${u.cache_creation_input_tokens}${a.model ? ` (${a.model})` : ''}`
}

/// A tool call on one line: what it did (its result's summary once it has one), a diff stat for edits, and for a
/// command its exit and a way to its terminal tab.
function ToolLine({
  call,
  result,
  label,
  running,
  awaiting,
  ended,
  onShowTerminal,
  onOpenFile,
}: {
  call: ToolUse
  result: ToolResult | undefined
  label: (result: ToolResult) => string
  running: boolean
  awaiting: boolean
  /// Its answer ended (interrupted, stopped, failed): a call with no result never ran.
  ended: boolean
  onShowTerminal: () => void
  onOpenFile: (path: string) => void
}) {
  const stat = toolStat(call)
  const path = result?.path
  const state = result ? (result.is_error ? 'error' : 'done') : awaiting ? 'awaiting' : running ? 'running' : ended ? 'not-run' : 'pending'
  const text = (result && label(result)) || (state === 'not-run' ? notRunLabel(call) : toolLabel(call, awaiting))
  return (
    <div className="ai-tool" data-testid="ai.tool" data-tool={call.name} data-state={state}>
      <span className="ai-tool-icon" aria-hidden="true">
        {state === 'running' ? <span className="spinner small" /> : state === 'error' ? '!' : TOOL_ICON[call.name] ?? '•'}
      </span>
      {path && (call.name === 'edit_file' || call.name === 'create_file' || call.name === 'read_file') && !result?.is_error ? (
        <button type="button" className="ai-tool-text ai-linklike" onClick={() => onOpenFile(path)} title={`Open ${path}`}>
          {text}
        </button>
      ) : (
        <span className="ai-tool-text">{text}</span>
      )}
      {stat && !result?.is_error && (
        <span className="ai-stat" aria-label={`${stat.added} lines added, ${stat.removed} removed`}>
          <span className="ai-stat-add">+{stat.added}</span> <span className="ai-stat-del">−{stat.removed}</span>
        </span>
      )}
      {call.name === 'run_command' && (state === 'running' || state === 'done') && (
        <button type="button" className="btn btn-ghost btn-small" onClick={onShowTerminal} data-testid="ai.show-terminal">
          Terminal
        </button>
      )}
    </div>
  )
}

const TOOL_ICON: Record<string, string> = { list_files: '≡', read_file: '◧', search: '⌕', edit_file: '✎', create_file: '+', delete_file: '−', run_command: '›' }

/// While a turn runs: what it is doing now.
function Progress({ tools, answered }: { tools: readonly ToolActivity[]; answered: boolean }) {
  const preparing = tools.find((t) => t.status === 'preparing')
  return (
    <p className="ai-progress" data-testid="ai.progress">
      <span className="spinner small" aria-hidden="true" />
      {preparing ? `Preparing ${preparing.name.replace('_', ' ')}…` : tools.some((t) => t.status === 'running') ? 'Running tools…' : answered ? 'Answering…' : 'Thinking…'}
    </p>
  )
}

/// A command the model wants to run: Run, Always allow this command, Deny. Focus moves to Run when it appears while
/// the person is in the panel.
function ApprovalCard({ ai, toolUseId, command }: { ai: AiSession; toolUseId: string; command: string }) {
  const run = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const panel = run.current?.closest('.ai-panel')
    if (panel?.contains(document.activeElement)) run.current?.focus()
  }, [toolUseId])
  return (
    <div className="ai-approval" role="group" aria-labelledby={`ai-approval-${toolUseId}`} data-testid="ai.approval">
      <p id={`ai-approval-${toolUseId}`} className="ai-approval-title">
        The assistant wants to run a command:
      </p>
      <pre className="ai-approval-command" data-testid="ai.approval-command">
        {command}
      </pre>
      <div className="ai-approval-actions">
        <button type="button" ref={run} className="btn btn-primary btn-small" data-testid="ai.approve" onClick={() => ai.approve(toolUseId)}>
          Run
        </button>
        <button type="button" className="btn btn-small" data-testid="ai.approve-always" onClick={() => ai.approve(toolUseId, { always: true })}>
          Always allow this command
        </button>
        <button type="button" className="btn btn-small" data-testid="ai.deny" onClick={() => ai.deny(toolUseId)}>
          Deny
        </button>
      </div>
    </div>
  )
}
