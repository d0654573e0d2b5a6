import { createContext, useContext } from 'react'
import type { ReactNode } from 'react'
import type { EditorController } from '../../core/editor/EditorController.ts'

const EditorControllerContext = createContext<EditorController | null>(null)

/// Gives the views of one open project (file tree, quick open, search, the editor) that project's `session.editor`.
export function EditorControllerProvider({ controller, children }: { controller: EditorController; children: ReactNode }) {
  return <EditorControllerContext.Provider value={controller}>{children}</EditorControllerContext.Provider>
}

/// The open project's editor controller; throws outside `<EditorControllerProvider>`.
export function useEditorController(): EditorController {
  const c = useContext(EditorControllerContext)
  if (!c) throw new Error('useEditorController() must be used inside <EditorControllerProvider> (an open project)')
  return c
}
