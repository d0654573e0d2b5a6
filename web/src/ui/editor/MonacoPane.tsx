import { useEffect, useRef, useState } from 'react'
import type { Runtime } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { zoomFontSize } from '../../core/appearance/appearance.ts'
import type { ColorScheme } from '../../core/appearance/appearance.ts'
import { useAppearance } from '../hooks/useColorScheme.ts'
import { useServices } from '../services.tsx'
import { useEditorController, useEditorProbe } from './editorControllerContext.tsx'
import { EditorSession } from './editorSession.ts'
import { attachFirstView, initialViewState } from './firstViewTakeover.ts'
import { monaco } from './monaco.ts'
import { useCommandHandler, useContextValue } from '../commands/hooks.ts'
import { EDITOR_ACTIONS_COVERED } from '../commands/workbenchCommands.ts'

export interface MonacoPaneProps {
  workspace: Workspace
  runtime?: (() => Runtime | undefined) | undefined
  theme: ColorScheme
  /// Hidden (not unmounted) while the active tab is binary or no tab is open, so models and view states survive.
  hidden: boolean
  readOnly?: boolean | undefined
}

/// The Monaco host of EditorArea. Loaded with React.lazy: this module and everything it imports is the Monaco chunk.
export default function MonacoPane({ workspace, runtime, theme, hidden, readOnly }: MonacoPaneProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const services = useServices()
  const controller = useEditorController()
  const probe = useEditorProbe()
  const { editorFontSize } = useAppearance()
  const initial = useRef({ theme, runtime, editorFontSize })
  const [session, setSession] = useState<EditorSession | null>(null)
  const [shown, setShown] = useState<string | undefined>(undefined)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const created = new EditorSession(host, {
      workspace,
      controller,
      runtime: () => initial.current.runtime?.(),
      theme: initial.current.theme,
      fontSize: initial.current.editorFontSize,
      onZoom: (zoom) => {
        const now = services.appearance.get()
        services.setAppearance({ ...now, editorFontSize: zoomFontSize(now.editorFontSize, zoom) })
      },
      onShow: setShown,
      ...(readOnly ? { readOnly } : { initialViewState: initialViewState() }),
    })
    setSession(created)
    const detachFirstView = readOnly ? undefined : attachFirstView(created, probe)
    return () => {
      detachFirstView?.()
      setSession(null)
      created.dispose()
    }
  }, [workspace, controller, probe, services])

  useEffect(() => {
    initial.current.runtime = runtime
  }, [runtime])

  useEffect(() => {
    session?.setTheme(theme)
  }, [session, theme])

  useEffect(() => {
    session?.setFontSize(editorFontSize)
  }, [session, editorFontSize])

  useEditorCommands(session, hidden)

  return (
    <div
      ref={hostRef}
      className="editor-monaco"
      hidden={hidden}
      data-testid="editor.monaco"
      data-ready={session ? 'true' : 'false'}
      data-path={shown ?? ''}
      data-readonly={readOnly ? 'true' : undefined}
    />
  )
}

/// The editor's part of the command layer: its focus as context keys (`editorFocus` for the editor and its widgets,
/// `editorTextFocus` for its text, from Monaco itself), Go to Line/Column (Ctrl+G from anywhere in the workbench:
/// the editor takes focus and opens Monaco's go-to-line input, so Escape returns to the editor), and its own actions
/// in the command palette. All while a text file is shown.
function useEditorCommands(session: EditorSession | null, hidden: boolean) {
  const { commands } = useServices()
  const shown = session && !hidden ? session : undefined
  useContextValue('editorFocus', () => session?.editor.hasWidgetFocus() ?? false)
  useContextValue('editorTextFocus', () => session?.editor.hasTextFocus() ?? false)
  useCommandHandler('workbench.action.gotoLine', shown ? () => shown.goToLine() : undefined)
  useEffect(() => (shown ? commands.registerProvider(() => shown.paletteActions(EDITOR_ACTIONS_COVERED)) : undefined), [commands, shown])
}

/// `code` coloured by Monaco's tokenizer for `language`, as HTML (spans with token classes around escaped text), for
/// the assistant's code blocks. Reached through this chunk, which the workbench has loaded for the editor.
export async function colorize(code: string, language: string): Promise<string> {
  return monaco.editor.colorize(code, language, { tabSize: 2 })
}

/// The assistant review's diff editor (its own chunk), given this chunk's Monaco setup.
export const loadReviewDiff = () => import('../ai/reviewDiffEditor.ts')
