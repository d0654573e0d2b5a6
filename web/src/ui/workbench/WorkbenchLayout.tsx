import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { DocPersistence } from '../../adapters/persistence/DocPersistence.ts'
import type { SyncClient } from '../../core/sync/SyncClient.ts'
import type { ViewState } from '../../adapters/persistence/LocalStore.ts'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import type { ProjectSession } from '../../core/session/ProjectSession.ts'
import { useColorScheme } from '../hooks/useColorScheme.ts'
import { useStore } from '../hooks/useStore.ts'
import { useMediaQuery } from '../hooks/useMediaQuery.ts'
import { PreviewPane } from '../preview/PreviewPane.tsx'
import { RunControls, useRunCommands } from '../run/RunControls.tsx'
import { useServices } from '../services.tsx'
import { RuntimeSettings } from '../settings/RuntimeSettings.tsx'
import { TerminalPanel } from '../terminal/TerminalPanel.tsx'
import { FileTree } from '../tree/FileTree.tsx'
import { RuntimeBanner } from './RuntimeBanner.tsx'
import { Splitter } from './Split.tsx'
import { preloadable } from '../common/preloadable.ts'
import { StoreBanner } from './StoreBanner.tsx'
import { SyncStatusPill } from './SyncStatusPill.tsx'
import { BottomPanel, type PanelTab } from './BottomPanel.tsx'
import { StatusBar } from './StatusBar.tsx'
import { ProblemsPanel } from '../problems/ProblemsPanel.tsx'
import type { Problem } from '../../core/problems/problems.ts'
import { CLOSE_QUICK_OPEN } from '../commands/workbenchCommands.ts'
import { useKeybindingLabel } from '../commands/hooks.ts'
import { useWorkbenchCommands } from './useWorkbenchCommands.ts'
import { useAssistant } from '../ai/useAssistant.ts'
import { ShareIcon } from '../common/icons.tsx'
import { useFirstView } from '../firstView/useFirstViewWriter.ts'

const ShareDialog = preloadable(() => import('../share/ShareDialog.tsx').then((m) => m.ShareDialog))

const EditorArea = preloadable(() => import('../editor/EditorArea.tsx').then((m) => m.EditorArea))

/// Starts fetching the editor (and Monaco) before the layout renders it.
export function preloadEditor(): void {
  void EditorArea.preload().then(() => import('../editor/EditorArea.tsx').then((m) => m.preloadMonaco()))
}
// The assistant's panel is its own chunk, fetched when it first opens.
const AiPanel = preloadable(() => import('../ai/AiPanel.tsx').then((m) => m.AiPanel))
const SearchPanel = lazy(() => import('../search/SearchPanel.tsx').then((m) => ({ default: m.SearchPanel })))
const QuickOpen = lazy(() => import('../quickopen/QuickOpen.tsx').then((m) => ({ default: m.QuickOpen })))

export type Pane = 'files' | 'code' | 'terminal' | 'preview' | 'ai'

interface Layout {
  sidebar: number
  preview: number
  terminal: number
  /// The assistant's column (desktop).
  ai: number
  showSidebar: boolean
  showTerminal: boolean
  showAi: boolean
  sideTab: 'files' | 'search'
}

const DEFAULT_LAYOUT: Layout = { sidebar: 240, preview: 480, terminal: 220, ai: 380, showSidebar: true, showTerminal: true, showAi: false, sideTab: 'files' }

/// The workbench: file tree | editor | preview, terminal below, the assistant at the right; resizable, remembered
/// per project; VS Code's shortcuts. Under 768 px one pane at a time with a bottom tab bar.
export function WorkbenchLayout({
  session,
  entry,
  sync,
  store,
  problems = [],
  view,
}: {
  session: ProjectSession
  entry: ProjectEntry
  sync: SyncClient | undefined
  store?: DocPersistence | undefined
  /// Problems found while opening (e.g. no local store), shown above the workbench.
  problems?: string[]
  /// The project's stored view, read once when it opened.
  view: ViewState
}) {
  const services = useServices()
  const theme = useColorScheme()
  const mobile = useMediaQuery('(max-width: 767px)')
  const [layout, setLayout] = useState<Layout>(() => ({ ...DEFAULT_LAYOUT, ...view.layout, ...view.panes }) as Layout)
  // A phone opens on the pane it was left on (the assistant's too), as the desktop reopens its panels.
  const [pane, setPane] = useState<Pane>(() => (view.mobilePane === 'ai' && !session.ai ? 'code' : (view.mobilePane ?? 'code')))
  const [quickOpen, setQuickOpen] = useState(false)
  const [settings, setSettings] = useState(false)
  /// Bumped by Ctrl+Shift+H: the search panel shows its replace field.
  const [replaceRequest, setReplaceRequest] = useState(0)
  /// Bumped by Ctrl+Shift+F: the search panel focuses its query (with the editor's selection).
  const [searchRequest, setSearchRequest] = useState(0)
  const [panelTab, setPanelTab] = useState<PanelTab>('terminal')
  // Requests for focus: Ctrl+` (the terminal), Ctrl+Shift+M and the status bar (the problems list).
  const [terminalFocus, setTerminalFocus] = useState(0)
  const [problemsFocus, setProblemsFocus] = useState(0)
  const editorController = session.editor
  const [sharing, setSharing] = useState(false)
  const runtimeStatus = useStore(session.runtimeStatus)
  const shareKey = useKeybindingLabel('slipway.share')
  useFirstView(session.projectId, session.workspace)

  // Remember sizes, open panes and tabs per project.
  useEffect(() => {
    const t = setTimeout(() => void saveView(), 300)
    return () => clearTimeout(t)
  })
  const mobilePane = useRef(view.mobilePane)
  const saveView = useCallback(async () => {
    const ws = session.workspace.state
    // Only a phone moves it: a desktop visit leaves the phone's pane as it was.
    if (mobile) mobilePane.current = pane
    await services.local.putView(session.projectId, {
      openTabs: [...ws.openTabs],
      ...(ws.activeTab ? { activeTab: ws.activeTab } : {}),
      expanded: [...ws.expanded],
      layout: { sidebar: layout.sidebar, preview: layout.preview, terminal: layout.terminal, ai: layout.ai },
      panes: { showSidebar: layout.showSidebar, showTerminal: layout.showTerminal, showAi: layout.showAi },
      ...(mobilePane.current ? { mobilePane: mobilePane.current } : {}),
    })
  }, [services, session, layout, mobile, pane])
  useEffect(() => session.workspace.store.subscribe(() => void saveView()), [session, saveView])

  // Show terminal (from a run failure or a finished script): the pane the run's output is in, its tab in front.
  const showRunOutput = useCallback(() => {
    session.run.showOutput()
    setLayout((l) => ({ ...l, showTerminal: true }))
    if (mobile) setPane('terminal')
  }, [session, mobile])
  const retryRun = useCallback(() => void session.run.start(), [session])
  const previewColumn = useRef<HTMLDivElement>(null)

  const openShell = useCallback(() => {
    setLayout((l) => ({ ...l, showTerminal: true }))
    if (mobile) setPane('terminal')
    return session.openShell()
  }, [session, mobile])

  const showPanel = useCallback(
    (tab: PanelTab) => {
      setPanelTab(tab)
      setLayout((l) => ({ ...l, showTerminal: true }))
      if (mobile) setPane('terminal')
    },
    [mobile],
  )
  // The assistant: mounted from its first opening on (opening a project asks the server nothing), then kept.
  const [aiMounted, setAiMounted] = useState(mobile ? pane === 'ai' : layout.showAi)
  const aiLayout = useMemo(
    () => ({
      show: () => {
        setAiMounted(true)
        if (mobile) setPane('ai')
        else setLayout((l) => (l.showAi ? l : { ...l, showAi: true }))
      },
      hide: () => {
        if (mobile) setPane('code')
        else setLayout((l) => ({ ...l, showAi: false }))
        editorController.focus()
      },
    }),
    [mobile, editorController],
  )
  const assistant = useAssistant(session, aiLayout)
  const fixWithAi = session.ai ? assistant.fixWithAi : undefined
  const showAiTerminal = useCallback(() => showPanel('terminal'), [showPanel])

  const showProblems = useCallback(() => {
    showPanel('problems')
    setProblemsFocus((n) => n + 1)
  }, [showPanel])
  const openProblem = useCallback(
    (p: Problem) => {
      session.workspace.dispatch({ type: 'open', path: p.path })
      if (mobile) setPane('code')
      editorController.reveal(p.path, p.line, p.column)
    },
    [session, mobile, editorController],
  )

  // After `npm install`, the editor reads the types it installed.
  useEffect(() => {
    let installing = false
    return session.run.store.subscribe(() => {
      const s = session.run.store.get()
      const now = s.status === 'running' && s.step === 'installing'
      if (installing && !now) session.editor.refreshTypes()
      installing = now
    })
  }, [session])

  useRunCommands(session.run)
  useWorkbenchCommands({
    setLayout,
    setPane,
    mobile,
    openShell,
    showPanel,
    showProblems,
    focusEditor: () => editorController.focus(),
    openQuickOpen: () => {
      // The palette gives its place (and gives focus back) first.
      services.commands.tryExecute(CLOSE_QUICK_OPEN, services.contextKeys)
      setQuickOpen(true)
    },
    closeQuickOpen: quickOpen ? () => setQuickOpen(false) : undefined,
    search: (replace) => {
      setLayout((l) => ({ ...l, showSidebar: true, sideTab: 'search' }))
      if (replace) setReplaceRequest((n) => n + 1)
      else setSearchRequest((n) => n + 1)
      if (mobile) setPane('files')
    },
    share: () => setSharing(true),
    showRunOutput,
    focusTerminal: () => setTerminalFocus((n) => n + 1),
  })

  // A shell is there from the start, like VS Code's integrated terminal.
  useEffect(() => {
    void session.whenReady().then(
      () => {
        if (!session.terminals.store.get().sessions.some((s) => s.title !== 'npm install' && !s.title.startsWith('npm run'))) void session.terminals.openShell().catch(() => {})
      },
      () => {},
    )
  }, [session])

  const openFile = useCallback(
    (path: string) => {
      session.workspace.dispatch({ type: 'open', path })
      if (mobile) setPane('code')
    },
    [session, mobile],
  )

  // Stable: Dialog moves focus to its first control whenever onClose changes (a re-render of the layout must not).
  const closeShare = useCallback(() => setSharing(false), [])
  // A file named by the Share dialog (a secret to remove): the dialog closes, the editor shows the line.
  const openAt = useCallback(
    (path: string, line: number) => {
      setSharing(false)
      openFile(path)
      session.editor.reveal(path, line)
      session.editor.focus()
    },
    [session, openFile],
  )

  const sidebar = (
    <aside className="sidebar" aria-label="Explorer">
      <div className="side-tabs" role="tablist">
        <button role="tab" aria-selected={layout.sideTab === 'files'} onClick={() => setLayout((l) => ({ ...l, sideTab: 'files' }))} data-testid="side.files">
          Files
        </button>
        <button role="tab" aria-selected={layout.sideTab === 'search'} onClick={() => setLayout((l) => ({ ...l, sideTab: 'search' }))} data-testid="side.search">
          Search
        </button>
      </div>
      <div className="side-body">
        {layout.sideTab === 'files' ? (
          <FileTree workspace={session.workspace} runtimeDirs={runtimeDirs(session)} onOpen={openFile} />
        ) : (
          <Suspense fallback={<div className="pane-loading">Loading search…</div>}>
            <SearchPanel workspace={session.workspace} memory={session.searchView} onOpen={openFile} replaceRequest={replaceRequest} searchRequest={searchRequest} />
          </Suspense>
        )}
      </div>
    </aside>
  )
  const editor = (
    <section className="editor-pane" aria-label="Editor">
      <Suspense
        fallback={
          <div className="pane-loading" data-testid="editor.loading">
            <span className="spinner" aria-hidden="true" /> Loading editor…
          </div>
        }
      >
        <EditorArea workspace={session.workspace} runtime={session.currentRuntime} theme={theme} />
      </Suspense>
    </section>
  )
  const terminal = (
    // Not a region of its own: TerminalPanel is the Terminal region (two would share a name), as PreviewPane is the
    // Preview one.
    <div className="terminal-pane">
      <RuntimeBanner status={runtimeStatus} onSettings={() => setSettings(true)} />
      <BottomPanel
        tab={panelTab}
        onTab={setPanelTab}
        problems={editorController.problems}
        problemsPanel={<ProblemsPanel problems={editorController.problems} onOpen={openProblem} focusRequest={problemsFocus} />}
        terminalPanel={<TerminalPanel terminals={session.terminals} onNewShell={openShell} theme={theme} focusRequest={terminalFocus} />}
      />
    </div>
  )
  const preview = (
    <div className="preview-pane" ref={previewColumn}>
      <PreviewPane
        previews={session.previews}
        runStatus={session.run.store}
        runtimeStatus={session.runtimeStatus}
        onRetry={retryRun}
        onShowTerminal={showRunOutput}
        onFixWithAi={fixWithAi}
      />
    </div>
  )

  const header = (
    <div className="wb-header" data-testid="workbench.header">
      {/* The page's heading: the project it is about. */}
      <h1 className="wb-project" title={entry.name} data-testid="workbench.name">
        {entry.name}
      </h1>
      <RunControls run={session.run} runtimeStatus={session.runtimeStatus} onShowTerminal={showRunOutput} onFixWithAi={fixWithAi && (() => fixWithAi('run_error'))} popoverColumn={previewColumn} />
      <span className="wb-spacer" />
      <button className="btn btn-small wb-share" onClick={() => setSharing(true)} onPointerEnter={() => void ShareDialog.preload()} onFocus={() => void ShareDialog.preload()} data-testid="workbench.share" title={shareKey ? `Share a link to this project (${shareKey})` : 'Share a link to this project'} aria-keyshortcuts="Control+Alt+S" aria-label={mobile ? 'Share' : undefined}>
        {/* A phone's header row is full: an icon there, the word elsewhere. */}
        {mobile ? <ShareIcon /> : 'Share'}
      </button>
      {sync ? (
        <SyncStatusPill status={sync.status} onRetry={() => void sync.retry()} />
      ) : (
        <span className="pill" data-testid="sync.status" data-state="local" role="status" title="This project lives only in this browser. Sign in to keep it in your account.">
          {/* A phone's header row also holds the project name and the run stepper. */}
          {mobile ? 'Local only' : 'Saved in this browser'}
        </span>
      )}
      <button className="btn btn-ghost wb-runtime" onClick={() => setSettings(true)} data-testid="workbench.runtime" title="Runtime settings">
        {runtimeStatus.kind === 'local' ? 'Local runtime' : 'WebContainer'}
      </button>
    </div>
  )

  const assistantPanel = session.ai && (
    <Suspense
      fallback={
        <div className="pane-loading" data-testid="ai.loading-panel">
          <span className="spinner" aria-hidden="true" /> Loading the assistant…
        </div>
      }
    >
      <AiPanel ai={session.ai} theme={theme} focusRequest={assistant.focusRequest} onClose={aiLayout.hide} onShowTerminal={showAiTerminal} onOpenFile={openFile} />
    </Suspense>
  )
  const panes: readonly Pane[] = session.ai ? ['files', 'code', 'terminal', 'preview', 'ai'] : ['files', 'code', 'terminal', 'preview']

  const style = useMemo(
    () => ({ '--sidebar': `${layout.sidebar}px`, '--preview': `${layout.preview}px`, '--terminal': `${layout.terminal}px`, '--ai': `${layout.ai}px` }) as React.CSSProperties,
    [layout],
  )

  return (
    <main className={`workbench-root ${mobile ? 'is-mobile' : ''}`} data-testid="workbench" style={style}>
      {header}
      {store && <StoreBanner status={store.status} />}
      {problems.map((p) => (
        <div key={p} className="banner banner-error" role="alert">
          {p}
        </div>
      ))}
      {mobile ? (
        <>
          <div className="mobile-panes">
            {panes.map((p) => (
              <div key={p} className="mobile-pane" hidden={pane !== p} data-pane={p}>
                {p === 'files' ? sidebar : p === 'code' ? editor : p === 'terminal' ? terminal : p === 'preview' ? preview : aiMounted && assistantPanel}
              </div>
            ))}
          </div>
          <StatusBar editor={editorController} onShowProblems={showProblems} compact />
          <nav className="mobile-tabs" aria-label="Panes" data-testid="workbench.mobile-tabs">
            {panes.map((p) => (
              <button
                key={p}
                aria-current={pane === p ? 'page' : undefined}
                onClick={() => (p === 'ai' ? assistant.open() : setPane(p))}
                onPointerEnter={p === 'ai' ? () => void AiPanel.preload() : undefined}
                data-testid={`mobile.${p}`}
              >
                {p === 'files' ? 'Files' : p === 'code' ? 'Code' : p === 'terminal' ? 'Terminal' : p === 'preview' ? 'Preview' : 'Assistant'}
              </button>
            ))}
          </nav>
        </>
      ) : (
        <div className="wb-main">
          {layout.showSidebar && (
            <>
              {sidebar}
              <Splitter orientation="vertical" size={layout.sidebar} min={160} max={600} onResize={(sidebar) => setLayout((l) => ({ ...l, sidebar }))} label="Resize sidebar" />
            </>
          )}
          <div className="wb-center">
            <div className="wb-top">
              {editor}
              <Splitter orientation="vertical" size={layout.preview} min={240} max={1400} invert onResize={(preview) => setLayout((l) => ({ ...l, preview }))} label="Resize preview" />
              {preview}
            </div>
            {layout.showTerminal && (
              <>
                <Splitter orientation="horizontal" size={layout.terminal} min={80} max={800} invert onResize={(terminal) => setLayout((l) => ({ ...l, terminal }))} label="Resize terminal" />
                {terminal}
              </>
            )}
          </div>
          {assistantPanel && layout.showAi && (
            <>
              <Splitter orientation="vertical" size={layout.ai} min={280} max={900} invert onResize={(ai) => setLayout((l) => ({ ...l, ai }))} label="Resize assistant" />
              <div className="ai-column" data-testid="ai.column">
                {assistantPanel}
              </div>
            </>
          )}
        </div>
      )}
      {!mobile && <StatusBar editor={editorController} onShowProblems={showProblems} compact={false} />}
      {quickOpen && (
        <Suspense fallback={null}>
          <QuickOpen workspace={session.workspace} onClose={() => setQuickOpen(false)} onOpen={openFile} />
        </Suspense>
      )}
      {settings && <RuntimeSettings onClose={() => setSettings(false)} />}
      {sharing && (
        <Suspense fallback={null}>
          <ShareDialog entry={entry} doc={session.workspace.doc} sync={sync} onOpenFile={openAt} onClose={closeShare} />
        </Suspense>
      )}
    </main>
  )
}

/// Lists folders that live only in the runtime (node_modules) for the tree, once the runtime is up.
function runtimeDirs(session: ProjectSession) {
  return async (path: string) => (await session.whenReady()).fs.readdir(path)
}
