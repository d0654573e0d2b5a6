import { lazy, Suspense } from 'react'
import { ErrorBoundary } from '../ErrorBoundary.tsx'
import { useColorScheme } from '../hooks/useColorScheme.ts'

// Monaco is several MB; keep it out of the first chunk. The import starts when the panel first renders.
const ScratchEditor = lazy(() => import('./ScratchEditor.tsx'))

/// A tab-headed panel holding a TypeScript scratch editor. Nothing typed in it is stored.
export function ScratchPanel() {
  const colorScheme = useColorScheme()
  return (
    <section className="panel" aria-label="Scratch editor">
      <div className="panel-tabs">
        <div className="panel-tab" data-active="true">
          <span className="panel-tab-lang" aria-hidden="true">
            TS
          </span>
          scratch.ts
        </div>
        <span className="panel-tabs-note">Scratch · not saved</span>
      </div>
      <div className="panel-body">
        <ErrorBoundary fallback={<EditorFailed />}>
          <Suspense fallback={<EditorLoading />}>
            <ScratchEditor colorScheme={colorScheme} />
          </Suspense>
        </ErrorBoundary>
      </div>
    </section>
  )
}

function EditorLoading() {
  return (
    <div className="editor-placeholder" role="status" data-testid="editor.loading">
      <span className="spinner" aria-hidden="true" />
      Loading editor…
    </div>
  )
}

function EditorFailed() {
  return (
    <div className="editor-placeholder" role="alert" data-testid="editor.failed">
      The editor could not be loaded. Check your connection, then reload the page.
    </div>
  )
}
