// Monaco chunk only. The project's problems, as VS Code's Problems panel lists them for a TypeScript project: the
// markers of the open models (every language service: TS, JSON, CSS…) and, for the script files that are not open,
// the TypeScript worker's own diagnostics of the program. Published to EditorController as plain data.
import { getJavaScriptWorker, getTypeScriptWorker, javascriptDefaults, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register'
import { positionAt, type Problem, type Severity } from '../../core/problems/problems.ts'
import { DisposableStore } from '../../core/store.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import type { EditorController } from '../../core/editor/EditorController.ts'
import { isScriptPath } from './languages.ts'
import { monaco, projectUri } from './monaco.ts'

/// Quiet time after the program changed (the TypeScript project already waits 400 ms after a keystroke).
const CHECK_DEBOUNCE_MS = 250
/// Files checked per pass; a larger project shows the problems of the first ones (sorted by path).
const MAX_FILES = 2000
/// Problems kept per file and in all, so a generated file with 50,000 errors cannot flood the panel.
const MAX_PER_FILE = 500
const MAX_TOTAL = 10_000
const PROBE_URI = 'inmemory://slipway/problems-probe.ts'
const TS_LIKE = /\.(?:ts|tsx|mts|cts)$/i

type TsWorker = Awaited<ReturnType<Awaited<ReturnType<typeof getTypeScriptWorker>>>>
interface TsDiagnostic {
  start?: number
  code: number
  category: number
  messageText: string | { messageText: string; next?: unknown[] }
}

export class ProjectDiagnostics {
  private readonly disposables = new DisposableStore()
  /// Problems of files that are not open, by path, from the last pass.
  private closed = new Map<string, Problem[]>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private publishQueued = false
  private running = false
  private again = false
  private checkedOnce = false
  private probe: monaco.editor.ITextModel | undefined
  private disposed = false

  constructor(
    private readonly workspace: Workspace,
    private readonly controller: EditorController,
    /// Whether the file has a model (its markers are then the truth, not the worker's copy of the file).
    private readonly isOpen: (path: string) => boolean,
  ) {
    // An editor mounted again (the layout switched between desktop and phone) keeps showing what the last one found
    // until its first pass is done, rather than flashing "no problems".
    for (const p of controller.problems.get().problems) {
      if (isOpen(p.path)) continue
      const list = this.closed.get(p.path) ?? []
      list.push(p)
      this.closed.set(p.path, list)
    }
    controller.problems.update((s) => ({ ...s, status: 'checking' }))
    this.disposables.add(monaco.editor.onDidChangeMarkers(() => this.queuePublish()))
    this.disposables.add(() => {
      this.disposed = true
      clearTimeout(this.timer)
      this.probe?.dispose()
      controller.problems.update((s) => ({ ...s, status: 'off' }))
    })
    this.schedule(0)
  }

  /// The TypeScript program changed (a file, the options, the installed types): check the closed files again.
  programChanged(): void {
    this.schedule()
  }

  /// Open tabs changed: a file that closed is now checked through the worker, one that opened through its markers.
  tabsChanged(): void {
    this.queuePublish()
    this.schedule()
  }

  dispose(): void {
    this.disposables.dispose()
  }

  private schedule(ms = CHECK_DEBOUNCE_MS): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.check(), ms)
  }

  private queuePublish(): void {
    if (this.publishQueued) return
    this.publishQueued = true
    queueMicrotask(() => {
      this.publishQueued = false
      this.publish()
    })
  }

  private publish(): void {
    if (this.disposed) return
    const problems: Problem[] = []
    for (const [path, list] of this.closed) if (!this.isOpen(path) && this.workspace.text(path)) problems.push(...list)
    for (const path of this.workspace.state.openTabs) {
      if (!this.isOpen(path)) continue
      const markers = monaco.editor.getModelMarkers({ resource: projectUri(path) })
      let n = 0
      for (const m of markers) {
        const severity = markerSeverity(m.severity)
        if (!severity || n >= MAX_PER_FILE) continue
        n++
        const code = typeof m.code === 'string' ? m.code : m.code?.value
        problems.push({ path, severity, message: m.message, line: m.startLineNumber, column: m.startColumn, code, source: sourceOf(m.owner) })
      }
    }
    this.controller.problems.update(() => ({ status: this.checkedOnce ? 'ready' : 'checking', problems: problems.slice(0, MAX_TOTAL) }))
  }

  private async check(): Promise<void> {
    if (this.disposed) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    try {
      // A pass runs to its end even when the program changes meanwhile (an install keeps changing it): its results
      // show, and the change gets a pass of its own right after.
      this.closed = await this.checkClosedFiles()
      this.checkedOnce = true
    } catch (err) {
      // The worker restarted (new compiler options) or failed: what the markers say still shows.
      console.warn('Checking the project failed', err)
      this.checkedOnce = true
    } finally {
      this.running = false
    }
    this.publish()
    if (this.again) {
      this.again = false
      this.schedule()
    }
  }

  /// The problems of every script file without a model.
  private async checkClosedFiles(): Promise<Map<string, Problem[]>> {
    const paths = this.workspace.state.paths.filter((p) => isScriptPath(p) && !this.isOpen(p)).slice(0, MAX_FILES)
    const result = new Map<string, Problem[]>()
    if (!paths.length) return result
    const worker = await this.worker()
    if (!worker) return result
    const ignore = new Set(typescriptDefaults.getDiagnosticsOptions().diagnosticCodesToIgnore ?? [])
    for (const path of paths) {
      if (this.disposed) break
      const fileName = projectUri(path).toString()
      // As Monaco checks an open file of that language: JavaScript is only checked for syntax.
      const options = (TS_LIKE.test(path) ? typescriptDefaults : javascriptDefaults).getDiagnosticsOptions()
      const found: TsDiagnostic[] = []
      if (!options.noSyntaxValidation) found.push(...((await worker.getSyntacticDiagnostics(fileName)) as TsDiagnostic[]))
      if (!options.noSemanticValidation) found.push(...((await worker.getSemanticDiagnostics(fileName)) as TsDiagnostic[]))
      const kept = found.filter((d) => !ignore.has(d.code) && tsSeverity(d.category))
      if (!kept.length) continue
      const text = (await worker.getScriptText(fileName)) ?? ''
      result.set(
        path,
        kept.slice(0, MAX_PER_FILE).map((d) => ({
          path,
          severity: tsSeverity(d.category)!,
          message: flatten(d.messageText),
          ...positionAt(text, d.start ?? 0),
          code: String(d.code),
          source: 'ts',
        })),
      )
    }
    return result
  }

  /// A TypeScript service worker: the TypeScript one, else the JavaScript one (the same service with the same files
  /// and options: a project whose open files are JavaScript needs no second worker). Monaco starts each when the
  /// first model of its language appears; with neither (only CSS or JSON open) an empty probe model starts one.
  private async worker(): Promise<TsWorker | undefined> {
    for (let attempt = 0; attempt < 100 && !this.disposed; attempt++) {
      for (const get of [getTypeScriptWorker, getJavaScriptWorker]) {
        const client = await get().catch(() => undefined)
        if (client) return client()
      }
      this.probe ??= monaco.editor.createModel('', 'typescript', monaco.Uri.parse(PROBE_URI))
      await new Promise((r) => setTimeout(r, 100))
    }
    return undefined
  }
}

function markerSeverity(s: monaco.MarkerSeverity): Severity | undefined {
  if (s === monaco.MarkerSeverity.Error) return 'error'
  if (s === monaco.MarkerSeverity.Warning) return 'warning'
  if (s === monaco.MarkerSeverity.Info) return 'info'
  return undefined // hints (unused variables shown faded) are not problems, as in VS Code
}

/// ts.DiagnosticCategory: Warning 0, Error 1, Suggestion 2 (a hint, left out), Message 3.
function tsSeverity(category: number): Severity | undefined {
  return category === 1 ? 'error' : category === 0 ? 'warning' : category === 3 ? 'info' : undefined
}

function sourceOf(owner: string): string {
  return owner === 'typescript' || owner === 'javascript' ? 'ts' : owner
}

function flatten(text: TsDiagnostic['messageText'], indent = 0): string {
  if (typeof text === 'string') return text
  const head = '  '.repeat(indent) + text.messageText
  const rest = (text.next ?? []).map((n) => flatten(n as TsDiagnostic['messageText'], indent + 1))
  return [head, ...rest].join('\n')
}
