import type * as Y from 'yjs'
import { AiSession } from '../ai/AiSession.ts'
import { EditorController } from '../editor/EditorController.ts'
import type { AiPort } from '../ai/AiPort.ts'
import { TerminalCommands } from '../ai/commands.ts'
import { projectContext } from '../ai/context.ts'
import type { EditorSelection } from '../ai/context.ts'
import type { AiConversationStore } from '../ai/conversation.ts'
import { Previews } from '../preview/Previews.ts'
import { RunController } from '../run/RunController.ts'
import { EMPTY_SEARCH_VIEW } from '../search/searchView.ts'
import type { SearchViewState } from '../search/searchView.ts'
import type { BootFailure, BootResult, Runtime, RuntimeKind } from '../runtime/index.ts'
import { DisposableStore, Store } from '../store.ts'
import { Terminals } from '../terminal/Terminals.ts'
import { RuntimeBridge } from '../workspace/runtimeBridge.ts'
import { Workspace } from '../workspace/Workspace.ts'
import type { WorkspaceState } from '../workspace/Workspace.ts'

export type RuntimeStatus =
  | { phase: 'booting'; kind: RuntimeKind }
  | { phase: 'ready'; kind: RuntimeKind }
  | { phase: 'failed'; kind: RuntimeKind; failure: BootFailure }

/// What the assistant needs from outside the project: the server's Claude proxy, where conversations are kept, and
/// whether the page is online.
export interface AiPorts {
  port: AiPort
  conversations: AiConversationStore
  online(): boolean
  /// The page being hidden or left (see `AiSessionDeps.onPageHidden`).
  onPageHidden?: (listener: () => void) => () => void
}

export interface ProjectSessionDeps {
  projectId: string
  doc: Y.Doc
  kind: RuntimeKind
  boot: () => Promise<BootResult>
  /// Run `npm install` and the dev script as soon as the runtime is up.
  autoRun?: boolean
  initialView?: Partial<Pick<WorkspaceState, 'openTabs' | 'activeTab' | 'expanded'>>
  onProblem?: (message: string) => void
  /// The assistant, for a project of the person's own (not a shared version they view).
  ai?: AiPorts
}

/// One open project in the workbench: its files (Workspace over the project's Y.Doc), the runtime it runs in (booted
/// in the background, so the editor is usable at once), terminals, previews and the run stepper. `dispose` tears all
/// of it down, runtime included (WebContainer allows one per page).
export class ProjectSession {
  readonly workspace: Workspace
  readonly terminals: Terminals
  readonly previews = new Previews()
  readonly run: RunController
  readonly runtimeStatus: Store<RuntimeStatus>
  /// The project's assistant; undefined where there is none (a shared version).
  readonly ai: AiSession | undefined
  /// The editor's selection, as the UI reports it (the assistant's "selection" context chip reads it).
  readonly editorSelection = new Store<EditorSelection | undefined>(undefined)
  /// Drives the project's code editor (reveal, focus, problems, cursor) without importing it; the editor attaches
  /// once its chunk has loaded.
  readonly editor = new EditorController()
  /// The search view's query and options while it is hidden.
  readonly searchView = new Store<SearchViewState>(EMPTY_SEARCH_VIEW)
  private runtime: Runtime | undefined
  private bridge: RuntimeBridge | undefined
  private readonly booted: Promise<Runtime>
  private readonly disposables = new DisposableStore()
  private disposed = false

  constructor(private readonly deps: ProjectSessionDeps) {
    this.workspace = new Workspace(deps.doc, deps.initialView)
    this.runtimeStatus = new Store<RuntimeStatus>({ phase: 'booting', kind: deps.kind })
    this.terminals = new Terminals(() => this.runtime)
    this.booted = this.bootRuntime()
    // Callers look at runtimeStatus for failures; this keeps an unobserved rejection quiet.
    this.booted.catch(() => {})
    this.run = new RunController({
      runtime: () => this.booted,
      terminals: this.terminals,
      packageJson: () => this.workspace.text('package.json')?.toString(),
      openPorts: () => this.previews.store.get().ports.map((p) => p.port),
      flush: () => this.flush(),
    })
    if (deps.autoRun) void this.booted.then(() => this.run.start(), () => this.run.start())
    this.ai = deps.ai && this.startAi(deps.ai)
  }

  private startAi(ai: AiPorts): AiSession {
    return new AiSession({
      projectId: this.deps.projectId,
      workspace: this.workspace,
      port: ai.port,
      store: ai.conversations,
      online: () => ai.online(),
      ...(ai.onPageHidden ? { onPageHidden: ai.onPageHidden } : {}),
      commands: new TerminalCommands({ terminals: this.terminals, runtime: () => this.booted, flush: () => this.flush() }),
      context: projectContext({ workspace: this.workspace, run: this.run, terminals: this.terminals, previews: this.previews, selection: this.editorSelection }),
      selection: this.editorSelection,
    })
  }

  get projectId(): string {
    return this.deps.projectId
  }

  /// The runtime once it is up and holds the project's files.
  readonly currentRuntime = (): Runtime | undefined => this.runtime

  /// Resolves once the runtime is up and holds the project's files.
  whenReady(): Promise<Runtime> {
    return this.booted
  }

  private async bootRuntime(): Promise<Runtime> {
    const result = await this.deps.boot()
    if (!result.ok) {
      this.runtimeStatus.update(() => ({ phase: 'failed', kind: this.deps.kind, failure: result.failure }))
      throw new Error(result.failure.message)
    }
    if (this.disposed) {
      await result.runtime.teardown()
      throw new Error('The project was closed')
    }
    const runtime = result.runtime
    this.runtime = runtime
    this.previews.attach(runtime)
    this.bridge = new RuntimeBridge(this.deps.doc, runtime, this.deps.onProblem ? { onProblem: this.deps.onProblem } : {})
    await this.bridge.start()
    this.disposables.add(
      runtime.on('error', (e) => this.deps.onProblem?.(e.message)),
    )
    this.runtimeStatus.update(() => ({ phase: 'ready', kind: this.deps.kind }))
    return runtime
  }

  /// Opens an interactive shell in a new terminal tab.
  async openShell(): Promise<void> {
    await this.booted
    await this.terminals.openShell()
  }

  /// Pending edits written into the runtime now (before running something that reads them).
  async flush(): Promise<void> {
    await this.bridge?.flush()
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    // First, so a command the assistant runs is stopped and its answer saved while the terminals still exist.
    await this.ai?.dispose()
    this.run.dispose()
    this.editor.dispose()
    this.terminals.closeAll()
    this.previews.dispose()
    this.bridge?.dispose()
    this.workspace.dispose()
    this.disposables.dispose()
    await this.runtime?.teardown()
  }
}
