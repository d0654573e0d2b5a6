import { createContext, useContext, useMemo } from 'react'
import type { ReactNode } from 'react'
import type { EditorController } from '../../core/editor/EditorController.ts'
import { createEditorProbeSlot } from '../firstView/editorProbe.ts'
import type { EditorProbeSlot } from '../firstView/editorProbe.ts'

interface OpenEditor {
  controller: EditorController
  /// What the editor shows, for the first-view capture (ui/firstView); one per open project.
  probe: EditorProbeSlot
}

const EditorControllerContext = createContext<OpenEditor | null>(null)

/// Gives the views of one open project (file tree, quick open, search, the editor) that project's `session.editor`.
export function EditorControllerProvider({ controller, children }: { controller: EditorController; children: ReactNode }) {
  const value = useMemo(() => ({ controller, probe: createEditorProbeSlot() }), [controller])
  return <EditorControllerContext.Provider value={value}>{children}</EditorControllerContext.Provider>
}

/// The open project's editor controller; throws outside `<EditorControllerProvider>`.
export function useEditorController(): EditorController {
  const c = useContext(EditorControllerContext)
  if (!c) throw new Error('useEditorController() must be used inside <EditorControllerProvider> (an open project)')
  return c.controller
}

/// The open project's editor probe slot (the first view's window on the editor); throws outside the provider.
export function useEditorProbe(): EditorProbeSlot {
  const c = useContext(EditorControllerContext)
  if (!c) throw new Error('useEditorProbe() must be used inside <EditorControllerProvider> (an open project)')
  return c.probe
}
