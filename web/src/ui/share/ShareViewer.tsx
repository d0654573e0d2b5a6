import { Suspense, useCallback, useEffect, useRef, useState } from 'react'
import type { ShareInfo } from '../../core/session/ProjectOpening.ts'
import type { ProjectSession } from '../../core/session/ProjectSession.ts'
import { parseViewerQuery } from '../../core/shares/viewerQuery.ts'
import type { ViewerView } from '../../core/shares/viewerQuery.ts'
import { OpenIcon } from '../common/icons.tsx'
import { preloadable } from '../common/preloadable.ts'
import { useColorScheme } from '../hooks/useColorScheme.ts'
import { useMediaQuery } from '../hooks/useMediaQuery.ts'
import { useStore } from '../hooks/useStore.ts'
import { PreviewPane } from '../preview/PreviewPane.tsx'
import { RunControls, useRunCommands } from '../run/RunControls.tsx'
import { navigate } from '../router.tsx'
import { useServices } from '../services.tsx'
import { RuntimeSettings } from '../settings/RuntimeSettings.tsx'
import { TerminalPanel } from '../terminal/TerminalPanel.tsx'
import { FileTree } from '../tree/FileTree.tsx'
import { RuntimeBanner } from '../workbench/RuntimeBanner.tsx'

const EditorArea = preloadable(() => import('../editor/EditorArea.tsx').then((m) => m.EditorArea))

type CodePane = 'files' | 'code' | 'terminal'

/// A running shared version: a thin bar (name, version, owner; Code, Open preview in new tab, Fork) over the preview
/// full screen, or the read-only code (tree, Monaco, terminal output), or both side by side.
export function ShareViewer({ session, share, snapshot, problems }: { session: ProjectSession; share: ShareInfo; snapshot: () => Uint8Array; problems: string[] }) {
  const services = useServices()
  const theme = useColorScheme()
  const mobile = useMediaQuery('(max-width: 767px)')
  const account = useStore(services.account.store)
  const [query] = useState(() => parseViewerQuery(window.location.search))
  const [view, setView] = useState<ViewerView>(query.view)
  const [codePane, setCodePane] = useState<CodePane>('code')
  const [notice, setNotice] = useState<string | undefined>()
  const [forking, setForking] = useState(false)
  const [settings, setSettings] = useState(false)
  // The code (Monaco, xterm) loads the first time it is shown, so the preview comes first.
  const [codeMounted, setCodeMounted] = useState(view !== 'preview')
  if (view !== 'preview' && !codeMounted) setCodeMounted(true)
  const runtimeStatus = useStore(session.runtimeStatus)
  const previewUrl = useStore(session.previews.store, () => session.previews.currentUrl())
  const previewColumn = useRef<HTMLDivElement>(null)
  useRunCommands(session.run)

  // What the address asks for, once: the preview's first path, a file (and lines) to show.
  useEffect(() => {
    if (query.path) session.previews.navigate(query.path)
    const file = query.file
    if (!file) return
    if (!session.workspace.files.has(file.path)) {
      setNotice(`${file.path} is not in this version.`)
      return
    }
    session.workspace.dispatch({ type: 'open', path: file.path })
    if (file.from !== undefined) session.editor.revealLines(file.path, file.from, file.to ?? file.from)
  }, [session, query])

  // The view is part of the address, so a reload or a copied link keeps it.
  const show = useCallback((next: ViewerView) => {
    setView(next)
    const params = new URLSearchParams(window.location.search)
    if (next === 'preview') params.delete('view')
    else params.set('view', next)
    const search = params.toString()
    history.replaceState(history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}`)
  }, [])

  const fork = async () => {
    setForking(true)
    setNotice(undefined)
    try {
      if (account.state === 'signed-in') {
        const res = await services.api.forkShare(share.linkId, share.version)
        if (!res.ok) {
          setNotice(res.kind === 'network' ? 'Forking needs the server, which could not be reached. Try again when online.' : `Could not fork: ${res.message}`)
          return
        }
        navigate(`/p/${res.value.id}`, { keepQuery: false })
      } else {
        const entry = await services.library.createLocalCopy(share.projectName, snapshot(), { linkId: share.linkId, version: share.version })
        navigate(`/p/${entry.id}`, { keepQuery: false })
      }
    } catch (err) {
      setNotice(`Could not fork: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      setForking(false)
    }
  }

  const showRunOutput = useCallback(() => {
    session.run.showOutput()
    if (view === 'preview') show('code')
    setCodePane('terminal')
  }, [session, view, show])
  const retryRun = useCallback(() => void session.run.start(), [session])
  const openShell = useCallback(() => session.openShell(), [session])
  const openFile = useCallback(
    (path: string) => {
      session.workspace.dispatch({ type: 'open', path })
      if (mobile) setCodePane('code')
    },
    [session, mobile],
  )

  const pinned = /@\d+\/?$/.test(window.location.pathname)
  const newer = share.latest > share.version
  const bar = (
    <header className="sv-bar" data-testid="share.bar">
      <div className="sv-title">
        <h1 className="sv-name" title={share.projectName} data-testid="share.name">
          {share.projectName}
        </h1>
        <span className="sv-meta">
          <span
            className="sv-version"
            data-testid="share.version"
            data-version={share.version}
            title={pinned ? `Version ${share.version} of this link (pinned)` : `Version ${share.version}, the latest of this link`}
          >
            v{share.version}
          </span>
          <span className="sv-owner" data-testid="share.owner" title={`Shared by ${share.owner ?? 'someone'}`}>
            by {share.owner ?? 'someone'}
          </span>
          {share.offline && (
            <span className="pill sv-offline" data-testid="share.offline" title="The server could not be reached: this is the copy stored on this device.">
              Offline<span className="sv-wide-only"> copy</span>
            </span>
          )}
          {pinned && newer && !share.offline && (
            <a className="sv-newer" href={`/s/${share.linkId}`} data-testid="share.latest">
              v{share.latest} is out
            </a>
          )}
        </span>
      </div>
      {!mobile && <RunControls run={session.run} runtimeStatus={session.runtimeStatus} onShowTerminal={showRunOutput} popoverColumn={previewColumn} readOnly />}
      <span className="wb-spacer" />
      <div className="sv-views" role="group" aria-label="View">
        <button type="button" className="sv-view" aria-pressed={view === 'preview'} onClick={() => show('preview')} data-testid="share.view-preview">
          Preview
        </button>
        <button type="button" className="sv-view" aria-pressed={view === 'code'} onClick={() => show('code')} data-testid="share.view-code">
          Code
        </button>
        {!mobile && (
          <button type="button" className="sv-view" aria-pressed={view === 'split'} onClick={() => show('split')} data-testid="share.view-split">
            Split
          </button>
        )}
      </div>
      <a
        className="btn btn-ghost sv-icon-action"
        data-testid="share.open-preview"
        target="_blank"
        rel="noopener noreferrer"
        title="Open preview in new tab"
        aria-label="Open preview in new tab"
        {...(previewUrl ? { href: previewUrl } : { role: 'link', 'aria-disabled': true })}
      >
        <OpenIcon />
        <span className="sv-action-label">Open preview</span>
      </a>
      <button
        type="button"
        className="btn btn-primary sv-fork"
        onClick={() => void fork()}
        // Where the fork goes depends on who is signed in: wait to know (one round trip at page load).
        disabled={forking || account.state === 'loading'}
        data-testid="share.fork"
        title={account.state === 'signed-in' ? 'Copy this version into a new project of your account' : 'Copy this version into a new project in this browser'}
      >
        {forking ? 'Forking…' : 'Fork'}
      </button>
    </header>
  )

  const tree = (
    <aside className="sidebar sv-tree" aria-label="Explorer">
      <FileTree workspace={session.workspace} runtimeDirs={async (path) => (await session.whenReady()).fs.readdir(path)} onOpen={openFile} readOnly />
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
        <EditorArea workspace={session.workspace} runtime={session.currentRuntime} theme={theme} readOnly />
      </Suspense>
    </section>
  )
  const terminal = (
    <div className="terminal-pane sv-terminal">
      <RuntimeBanner status={runtimeStatus} onSettings={() => setSettings(true)} />
      <TerminalPanel terminals={session.terminals} onNewShell={openShell} theme={theme} />
    </div>
  )
  const preview = (
    <div className="preview-pane sv-preview" ref={previewColumn} data-testid="share.preview">
      <PreviewPane previews={session.previews} runStatus={session.run.store} runtimeStatus={session.runtimeStatus} onRetry={retryRun} onShowTerminal={showRunOutput} readOnly />
    </div>
  )
  const code = mobile ? (
    <div className="sv-code sv-code-mobile" data-testid="share.code">
      <nav className="sv-code-tabs" aria-label="Code panes">
        {(['files', 'code', 'terminal'] as const).map((p) => (
          <button key={p} type="button" aria-current={codePane === p ? 'page' : undefined} onClick={() => setCodePane(p)} data-testid={`share.pane-${p}`}>
            {p === 'files' ? 'Files' : p === 'code' ? 'Code' : 'Terminal'}
          </button>
        ))}
      </nav>
      {(['files', 'code', 'terminal'] as const).map((p) => (
        <div key={p} className="sv-code-pane" hidden={codePane !== p}>
          {p === 'files' ? tree : p === 'code' ? editor : terminal}
        </div>
      ))}
    </div>
  ) : (
    <div className="sv-code" data-testid="share.code">
      {tree}
      <div className="sv-code-main">
        {editor}
        {terminal}
      </div>
    </div>
  )

  return (
    <main className={`sv-root ${mobile ? 'is-mobile' : ''}`} data-testid="share.page" data-view={view}>
      {bar}
      {problems.map((p) => (
        <div key={p} className="banner banner-error" role="alert">
          {p}
        </div>
      ))}
      {notice && (
        <div className="banner banner-info sv-notice" role="status" data-testid="share.notice">
          <span>{notice}</span>
          <button type="button" className="btn btn-ghost" onClick={() => setNotice(undefined)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className={`sv-body sv-body-${view}`}>
        {/* Both stay mounted while hidden, so the preview keeps running and the editor keeps its place. */}
        <div className="sv-slot sv-slot-code" hidden={view === 'preview'}>
          {codeMounted ? code : null}
        </div>
        <div className="sv-slot sv-slot-preview" hidden={view === 'code'}>
          {preview}
        </div>
      </div>
      {settings && <RuntimeSettings onClose={() => setSettings(false)} />}
    </main>
  )
}
