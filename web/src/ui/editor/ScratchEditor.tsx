import { useEffect, useRef, useState } from 'react'
import type { ColorScheme } from '../hooks/useColorScheme.ts'
import { createScratchEditor, type ScratchEditorHandle } from './monaco.ts'

/// The Monaco host for the scratch pad. Loaded with `React.lazy`, so Monaco lands in its own chunk.
export default function ScratchEditor({ colorScheme }: { readonly colorScheme: ColorScheme }) {
  const hostRef = useRef<HTMLDivElement>(null)
  const initialScheme = useRef(colorScheme)
  const [editor, setEditor] = useState<ScratchEditorHandle | null>(null)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const created = createScratchEditor(host, { colorScheme: initialScheme.current })
    setEditor(created)
    return () => {
      setEditor(null)
      created.dispose()
    }
  }, [])

  useEffect(() => {
    editor?.setColorScheme(colorScheme)
  }, [editor, colorScheme])

  return (
    <div
      ref={hostRef}
      className="editor-host"
      data-testid="editor.scratch"
      data-ready={editor ? 'true' : 'false'}
    />
  )
}
