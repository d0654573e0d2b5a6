import { useEffect, useRef, useState } from 'react'
import type { Runtime } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import type { ColorScheme } from '../hooks/useColorScheme.ts'
import { EditorController } from './EditorController.ts'
import { EditorSession } from './editorSession.ts'

export interface MonacoPaneProps {
  workspace: Workspace
  runtime?: (() => Runtime | undefined) | undefined
  theme: ColorScheme
  /// Hidden (not unmounted) while the active tab is binary or no tab is open, so models and view states survive.
  hidden: boolean
}

/// The Monaco host of EditorArea. Loaded with React.lazy: this module and everything it imports is the Monaco chunk.
export default function MonacoPane({ workspace, runtime, theme, hidden }: MonacoPaneProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const initial = useRef({ theme, runtime })
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
      onShow: setShown,
    })
    setSession(created)
    return () => {
      setSession(null)
      created.dispose()
    }
  }, [workspace])

  useEffect(() => {
    initial.current.runtime = runtime
  }, [runtime])

  useEffect(() => {
    session?.setTheme(theme)
  }, [session, theme])

  return (
    <div
      ref={hostRef}
      className="editor-monaco"
      hidden={hidden}
      data-testid="editor.monaco"
      data-ready={session ? 'true' : 'false'}
      data-path={shown ?? ''}
    />
  )
}
