import { useEffect, useRef, useState } from 'react'
import type { Runtime } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { zoomFontSize } from '../../core/appearance/appearance.ts'
import type { ColorScheme } from '../../core/appearance/appearance.ts'
import { useAppearance } from '../hooks/useColorScheme.ts'
import { useServices } from '../services.tsx'
import { EditorController } from './EditorController.ts'
import { EditorSession } from './editorSession.ts'
import { isGoToLineKey } from './keys.ts'

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
  const { editorFontSize } = useAppearance()
  const initial = useRef({ theme, runtime, editorFontSize })
  const [session, setSession] = useState<EditorSession | null>(null)
  const [shown, setShown] = useState<string | undefined>(undefined)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const created = new EditorSession(host, {
      workspace,
      controller: EditorController.for(workspace),
      runtime: () => initial.current.runtime?.(),
      theme: initial.current.theme,
      fontSize: initial.current.editorFontSize,
      onZoom: (zoom) => {
        const now = services.appearance.get()
        services.setAppearance({ ...now, editorFontSize: zoomFontSize(now.editorFontSize, zoom) })
      },
      onShow: setShown,
      ...(readOnly ? { readOnly } : {}),
    })
    setSession(created)
    return () => {
      setSession(null)
      created.dispose()
    }
  }, [workspace, services])

  useEffect(() => {
    initial.current.runtime = runtime
  }, [runtime])

  useEffect(() => {
    session?.setTheme(theme)
  }, [session, theme])

  useEffect(() => {
    session?.setFontSize(editorFontSize)
  }, [session, editorFontSize])

  useGoToLineShortcut(session, hidden)

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

/// Ctrl+G anywhere in the workbench (not only in the editor, where Monaco binds it) goes to a line of the file shown:
/// the editor takes focus and opens Monaco's go-to-line input, so Escape returns to the editor. The browser's own
/// Ctrl+G (find next) never fires here. A terminal keeps Ctrl+G (readline's abort) and a dialog keeps its keys.
function useGoToLineShortcut(session: EditorSession | null, hidden: boolean) {
  useEffect(() => {
    if (!session || hidden) return
    const onKey = (e: KeyboardEvent) => {
      if (!isGoToLineKey(e) || e.defaultPrevented) return
      const target = e.target instanceof Element ? e.target : null
      if (target?.closest('.xterm, [role="dialog"], .quick-input-widget')) return
      if (!session.editor.getModel()) return
      e.preventDefault()
      e.stopPropagation()
      session.goToLine()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [session, hidden])
}
