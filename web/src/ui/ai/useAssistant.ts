import { useCallback, useEffect, useState } from 'react'
import type { AiSession } from '../../core/ai/index.ts'
import type { ProjectSession } from '../../core/session/ProjectSession.ts'
import { useCommandHandler, useContextValue } from '../commands/hooks.ts'
import { useServices } from '../services.tsx'
import { lastUndoableTurn } from './aiView.ts'

export interface AssistantLayout {
  /// Shows the panel (desktop: the side column; phones: its pane).
  show(): void
  /// Hides it; the editor takes focus.
  hide(): void
}

export interface Assistant {
  ai: AiSession | undefined
  /// Bumped whenever the panel should give focus to its question field.
  focusRequest: number
  open(): void
  /// A turn that fixes a failed run step or the preview's errors, in the panel. Anonymous: the panel opens and says
  /// to sign in, nothing is sent.
  fixWithAi(kind: 'run_error' | 'console_errors'): void
}

/// The workbench's side of the project's assistant, while the layout is mounted: its commands (Open Assistant,
/// New Conversation, Stop, Close, Accept/Reject All Edits, Undo Last Turn), the context keys their `when` clauses
/// read, the editor's selection passed on for the "selection" chip, and Fix with AI.
export function useAssistant(session: ProjectSession, layout: AssistantLayout): Assistant {
  const services = useServices()
  const ai = session.ai
  const [focusRequest, setFocusRequest] = useState(0)

  useEffect(() => {
    if (!ai) return
    const selection = session.editor.selection
    ai.setSelection(selection.get())
    return selection.subscribe(() => ai.setSelection(selection.get()))
  }, [ai, session])

  const open = useCallback(() => {
    layout.show()
    setFocusRequest((n) => n + 1)
  }, [layout])

  const fixWithAi = useCallback(
    (kind: 'run_error' | 'console_errors') => {
      if (!ai) return
      open()
      if (services.account.store.get().state !== 'anonymous') void ai.fixWithAi(kind)
    },
    [ai, open, services],
  )

  const turnActive = () => {
    const phase = ai?.state.turn.phase
    return phase === 'streaming' || phase === 'awaiting_approval'
  }
  useContextValue('aiTurnActive', turnActive)
  useContextValue('aiStagedCount', () => ai?.state.staged.length ?? 0)
  useContextValue('aiCanUndo', () => lastUndoableTurn(ai?.state.conversation) !== undefined)

  const when = <T,>(run: T) => (ai ? run : undefined)
  useCommandHandler('workbench.action.chat.open', when(open))
  useCommandHandler(
    'workbench.action.chat.newChat',
    when(() => {
      ai!.newConversation()
      open()
    }),
  )
  useCommandHandler('workbench.action.chat.cancel', when(() => ai!.stop()))
  useCommandHandler('slipway.ai.close', when(layout.hide))
  useCommandHandler('slipway.ai.acceptAll', when(() => void ai!.acceptAll()))
  useCommandHandler('slipway.ai.rejectAll', when(() => ai!.rejectAll()))
  useCommandHandler(
    'slipway.ai.undoTurn',
    when(() => {
      const turnId = lastUndoableTurn(ai!.state.conversation)
      if (turnId) void ai!.undoTurn(turnId)
    }),
  )
  return { ai, focusRequest, open, fixWithAi }
}
