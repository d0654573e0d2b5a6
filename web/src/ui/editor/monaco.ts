// Only imported by ScratchEditor.tsx, which is loaded lazily: everything here lands in the Monaco chunk.
// A custom bundle instead of `monaco-editor`: all editor features and syntax definitions, but only the TypeScript
// language service, so the only workers are the editor worker and the TypeScript worker.
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/register.all'
import 'monaco-editor/languages/definitions/register.all'
import 'monaco-editor/languages/features/typescript/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker'
import type { ColorScheme } from '../hooks/useColorScheme.ts'

/// Tells Monaco how to start its workers. Without it Monaco builds blob workers from URLs that Vite does not
/// bundle. Idempotent.
export function installMonacoEnvironment(): void {
  if (globalThis.MonacoEnvironment?.getWorker) return
  globalThis.MonacoEnvironment = {
    getWorker(_moduleId: string, label: string) {
      switch (label) {
        case 'typescript':
        case 'javascript':
          return new TypeScriptWorker({ name: label })
        default:
          return new EditorWorker({ name: label })
      }
    },
  }
}

export interface ScratchEditorHandle {
  setColorScheme(scheme: ColorScheme): void
  /// Disposes the editor and its model.
  dispose(): void
}

const SCRATCH_URI = 'file:///scratch.ts'

const SCRATCH_TEXT = `// Scratch pad: TypeScript, type-checked in a worker. Nothing here is saved.

interface Launch {
  name: string
  at: Date
}

function announce({ name, at }: Launch): string {
  return \`\${name} left the slipway at \${at.toLocaleTimeString()}\`
}

console.log(announce({ name: 'hello-world', at: new Date() }))
`

function themeFor(scheme: ColorScheme): string {
  return scheme === 'dark' ? 'vs-dark' : 'vs'
}

/// Creates the scratch editor inside `host`.
export function createScratchEditor(host: HTMLElement, options: { colorScheme: ColorScheme }): ScratchEditorHandle {
  installMonacoEnvironment()
  const model = monaco.editor.createModel(SCRATCH_TEXT, 'typescript', monaco.Uri.parse(SCRATCH_URI))
  const editor = monaco.editor.create(host, {
    model,
    theme: themeFor(options.colorScheme),
    automaticLayout: true,
    minimap: { enabled: false },
    fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 13,
    lineHeight: 20,
    tabSize: 2,
    padding: { top: 12, bottom: 12 },
    scrollBeyondLastLine: false,
    renderLineHighlight: 'line',
    renderLineHighlightOnlyWhenFocus: true,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    fixedOverflowWidgets: true,
  })
  return {
    setColorScheme(scheme) {
      monaco.editor.setTheme(themeFor(scheme))
    },
    dispose() {
      editor.dispose()
      model.dispose()
    },
  }
}
