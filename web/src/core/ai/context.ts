/// What a person can attach to a question ("context chips"): the open file, the selection, the last failed run step
/// or terminal error output, the preview's console errors. `projectContext` reads them from a project's workbench
/// parts; `contextBlock` turns one into the wire's `AiContextBlock`, cut to the limit.
import { AI_LIMITS } from '@slipway/shared'
import type { AiContextBlock, AiContextKind } from '@slipway/shared'
import type { PreviewsState } from '../preview/Previews.ts'
import { errorExcerpt } from '../run/errorExcerpt.ts'
import type { RunState } from '../run/runState.ts'
import { terminalLines } from '../run/terminalLines.ts'
import type { Store } from '../store.ts'
import type { TerminalsState } from '../terminal/Terminals.ts'
import type { WorkspaceState } from '../workspace/Workspace.ts'
import { capText } from './dataBlock.ts'

/// The editor's selection, as the UI reports it (lines 1-based, inclusive).
export interface EditorSelection {
  path: string
  text: string
  startLine: number
  endLine: number
}

/// One source as a chip shows it. `label` names it ("src/App.jsx", "npm run dev failed"); unavailable sources (no
/// file open, nothing failed) are listed so the UI can grey them out.
export interface ContextOption {
  kind: AiContextKind
  available: boolean
  label: string
}

/// Where context comes from; each answers undefined when it has nothing now.
export interface ContextInputs {
  activeFile(): { path: string; text: string } | undefined
  selection(): EditorSelection | undefined
  runError(): { label: string; text: string } | undefined
  consoleErrors(): { label: string; text: string } | undefined
  /// Called when any of them may have changed.
  subscribe(listener: () => void): () => void
}

export const CONTEXT_KINDS: readonly AiContextKind[] = ['file', 'selection', 'run_error', 'console_errors']

const NONE: Record<AiContextKind, string> = {
  file: 'No file open',
  selection: 'No selection',
  run_error: 'No failed run',
  console_errors: 'No console errors',
}

/// The chips as they are now.
export function contextOptions(inputs: ContextInputs): ContextOption[] {
  return CONTEXT_KINDS.map((kind) => {
    const label = labelOf(inputs, kind)
    return { kind, available: label !== undefined, label: label ?? NONE[kind] }
  })
}

function labelOf(inputs: ContextInputs, kind: AiContextKind): string | undefined {
  switch (kind) {
    case 'file':
      return inputs.activeFile()?.path
    case 'selection': {
      const s = inputs.selection()
      return s && s.text ? `${s.path}:${s.startLine}${s.endLine !== s.startLine ? `-${s.endLine}` : ''}` : undefined
    }
    case 'run_error':
      return inputs.runError()?.label
    case 'console_errors':
      return inputs.consoleErrors()?.label
  }
}

/// The block for `kind`, its text cut to `AI_LIMITS.maxContextChars`; undefined when the source has nothing.
export function contextBlock(inputs: ContextInputs, kind: AiContextKind): AiContextBlock | undefined {
  const block = (label: string, text: string): AiContextBlock => ({ kind, label: label.slice(0, 512), text: capText(text, AI_LIMITS.maxContextChars).text })
  switch (kind) {
    case 'file': {
      const f = inputs.activeFile()
      return f && block(f.path, f.text)
    }
    case 'selection': {
      const s = inputs.selection()
      return s && s.text ? block(labelOf(inputs, 'selection')!, s.text) : undefined
    }
    case 'run_error': {
      const r = inputs.runError()
      return r && block(r.label, r.text)
    }
    case 'console_errors': {
      const c = inputs.consoleErrors()
      return c && block(c.label, c.text)
    }
  }
}

/// Console errors kept for the assistant at most (the newest).
const CONSOLE_ERRORS = 20

export interface ProjectContextParts {
  workspace: { store: Store<WorkspaceState>; text(path: string): { toString(): string } | undefined }
  run: { store: Store<RunState> }
  terminals: { store: Store<TerminalsState> }
  previews: { store: Store<PreviewsState> }
  selection: Store<EditorSelection | undefined>
}

/// Context read from a project's workbench: the active tab, the editor selection the UI reports, the run stepper's
/// failure (else the last terminal that exited with an error), the preview console's errors.
export function projectContext(parts: ProjectContextParts): ContextInputs {
  return {
    activeFile: () => {
      const path = parts.workspace.store.get().activeTab
      const text = path ? parts.workspace.text(path) : undefined
      return path && text ? { path, text: text.toString() } : undefined
    },
    selection: () => {
      const s = parts.selection.get()
      return s && parts.workspace.store.get().activeTab === s.path ? s : undefined
    },
    runError: () => {
      const run = parts.run.store.get()
      if (run.status === 'failed') {
        const text = [run.error, run.line, run.excerpt].filter((l): l is string => Boolean(l)).join('\n')
        return { label: `Run failed: ${run.error}`, text }
      }
      const failed = [...parts.terminals.store.get().sessions].reverse().find((s) => s.exitCode !== undefined && s.exitCode !== 0 && !s.stopped)
      if (!failed) return undefined
      const excerpt = errorExcerpt(terminalLines(failed.text), 40)
      return { label: `${failed.title} exited with code ${failed.exitCode}`, text: excerpt.lines.join('\n') }
    },
    consoleErrors: () => {
      const errors = parts.previews.store.get().console.filter((m) => m.level === 'error').slice(-CONSOLE_ERRORS)
      if (!errors.length) return undefined
      const text = errors.map((m) => (m.stack ? `${m.message}\n${m.stack}` : m.message)).join('\n\n')
      return { label: `Preview console: ${errors.length} error${errors.length === 1 ? '' : 's'}`, text }
    },
    subscribe: (listener) => {
      const offs = [parts.workspace.store, parts.run.store, parts.terminals.store, parts.previews.store, parts.selection].map((s) => s.subscribe(listener))
      return () => offs.forEach((off) => off())
    },
  }
}
