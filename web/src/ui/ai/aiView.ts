/// What the assistant panel shows, worked out from the session's state. Pure: no React, no Monaco.
import type { AnswerMessage, ChatMessage, Conversation, PromptMessage, StagedView, ToolResult } from '../../core/ai/index.ts'
import { languageForPath, languageIds } from '../editor/languages.ts'

/// One question and everything that answered it (answers and tool results, in order).
export interface TurnView {
  turnId: string
  prompt: PromptMessage | undefined
  replies: Array<Exclude<ChatMessage, PromptMessage>>
}

export function turnsOf(messages: readonly ChatMessage[]): TurnView[] {
  const out: TurnView[] = []
  for (const m of messages) {
    const last = out.at(-1)
    if (m.kind === 'prompt') out.push({ turnId: m.turnId, prompt: m, replies: [] })
    else if (last && last.turnId === m.turnId) last.replies.push(m)
    else out.push({ turnId: m.turnId, prompt: undefined, replies: [m] })
  }
  return out
}

/// Every tool result of a conversation by its call's id.
export function resultsById(messages: readonly ChatMessage[]): ReadonlyMap<string, ToolResult> {
  const out = new Map<string, ToolResult>()
  for (const m of messages) if (m.kind === 'tool_results') for (const r of m.results) out.set(r.tool_use_id, r)
  return out
}

/// Lines added and removed between two texts: the lines between their common first and last lines (what a
/// reviewer reads as "+3 −1"; not a minimal diff of what lies between).
export function lineStat(before: string | undefined, after: string | undefined): { added: number; removed: number } {
  const a = before === undefined || before === '' ? [] : before.split('\n')
  const b = after === undefined || after === '' ? [] : after.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  return { added: b.length - start - end, removed: a.length - start - end }
}

type ToolUse = Extract<AnswerMessage['blocks'][number], { type: 'tool_use' }>

/// What a tool call changes, as a diff stat; undefined for calls that change no file.
export function toolStat(call: ToolUse): { added: number; removed: number } | undefined {
  const input = call.input as Record<string, unknown>
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined)
  switch (call.name) {
    case 'edit_file':
      return lineStat(str('old_text'), str('new_text'))
    case 'create_file':
      return lineStat(undefined, str('content'))
    default:
      return undefined
  }
}

/// One line about a tool call before its result is in ("Reading src/App.jsx"); a command the person has not allowed
/// yet is waiting for them, not running.
export function toolLabel(call: ToolUse, awaitingApproval = false): string {
  const input = call.input as Record<string, unknown>
  const path = typeof input.path === 'string' ? input.path : ''
  switch (call.name) {
    case 'list_files':
      return typeof input.glob === 'string' ? `Listing files matching ${input.glob}` : 'Listing files'
    case 'read_file':
      return `Reading ${path}`
    case 'search':
      return `Searching for ${JSON.stringify(input.query ?? '')}`
    case 'edit_file':
      return `Editing ${path}`
    case 'create_file':
      return `Creating ${path}`
    case 'delete_file':
      return `Deleting ${path}`
    case 'run_command':
      return `${awaitingApproval ? 'Waiting for approval:' : 'Running'} ${String(input.command ?? '')}`
  }
}

/// A call whose answer ended before it ran (the page closed while it waited for approval, or the turn stopped).
export function notRunLabel(call: ToolUse): string {
  const input = call.input as Record<string, unknown>
  return call.name === 'run_command' ? `Not run: ${String(input.command ?? '')}` : `${toolLabel(call)}: not done`
}

const FILE_TOOLS = new Set(['edit_file', 'create_file', 'delete_file'])
const STAGED_MARK = ' (staged)'

/// What became of a file change a tool made in `turnId`: still `staged` for review, `accepted` (the turn's checkpoint
/// holds the file), `rejected` (neither staged nor in the checkpoint), or `undone` with its turn; `applied` when it
/// applied at once; undefined for a call that changes no file or failed.
export function changeOutcome(
  result: ToolResult,
  turnId: string,
  conversation: Conversation | undefined,
  staged: readonly StagedView[],
): 'staged' | 'accepted' | 'rejected' | 'undone' | 'applied' | undefined {
  if (result.is_error || !FILE_TOOLS.has(result.name) || !result.path) return undefined
  const checkpoint = conversation?.checkpoints.find((cp) => cp.turnId === turnId)
  if (checkpoint?.undone) return 'undone'
  if (!result.summary.endsWith(STAGED_MARK)) return 'applied'
  if (staged.some((f) => f.path === result.path && f.turnIds.includes(turnId))) return 'staged'
  return checkpoint?.files.some((f) => f.path === result.path) ? 'accepted' : 'rejected'
}

/// A tool result's line as it reads now: "Edited src/App.jsx (staged)" becomes "(accepted)", "(rejected)" or
/// "(undone)" once the person has decided (the stored summary keeps what the tool said at the time).
export function resultLabel(result: ToolResult, turnId: string, conversation: Conversation | undefined, staged: readonly StagedView[]): string {
  const outcome = changeOutcome(result, turnId, conversation, staged)
  if (outcome === undefined || outcome === 'staged' || outcome === 'applied') return result.summary
  const base = result.summary.endsWith(STAGED_MARK) ? result.summary.slice(0, -STAGED_MARK.length) : result.summary
  return `${base} (${outcome})`
}

/// A notice that only confirms what the person just did ("Undone: 1 file restored."): it goes away by itself after a
/// few seconds. Notices that report a problem (files that differ, conflicts, storage) stay until dismissed or the
/// next action.
export function noticeFades(notice: string): boolean {
  return /^Undone: \d+ files? restored\.$/.test(notice)
}

/// 950, 1.2K, 34K, 1.5M.
export function formatTokens(n: number): string {
  if (n < 1000) return String(n)
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}K`
  if (n < 1_000_000) return `${Math.round(n / 1000)}K`
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`
}

/// $0.0042, $0.13, $2.40.
export function formatCost(usd: number): string {
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${usd.toFixed(4)}`
  return `$${usd.toFixed(2)}`
}

/// The turn's checkpoint can be undone: it changed files and was not undone yet.
export function undoState(conversation: Conversation | undefined, turnId: string): 'none' | 'can' | 'done' {
  const cp = conversation?.checkpoints.find((c) => c.turnId === turnId)
  if (!cp || !cp.files.length) return 'none'
  return cp.undone ? 'done' : 'can'
}

/// The last turn of a conversation that can be undone (for the Undo Last Turn command).
export function lastUndoableTurn(conversation: Conversation | undefined): string | undefined {
  const turns = turnsOf(conversation?.messages ?? [])
  for (let i = turns.length - 1; i >= 0; i--) if (undoState(conversation, turns[i]!.turnId) === 'can') return turns[i]!.turnId
  return undefined
}

const FENCE_ALIASES: Record<string, string> = { sh: 'shell', bash: 'shell', zsh: 'shell', shell: 'shell', console: 'shell', js: 'javascript', ts: 'typescript', py: 'python', yml: 'yaml', md: 'markdown' }

/// The Monaco language of a code fence's info string (`tsx`, `js`, `bash`…); undefined for none or an unknown one.
export function fenceLanguage(info: string | undefined): string | undefined {
  const name = info?.trim().toLowerCase()
  if (!name) return undefined
  const alias = FENCE_ALIASES[name]
  if (alias) return alias
  if (languageIds().includes(name)) return name
  const byExtension = languageForPath(`file.${name}`)
  return byExtension === 'plaintext' ? undefined : byExtension
}
