import { Suspense, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { DragEvent, KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent } from 'react'
import type { Runtime } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { preloadable } from '../common/preloadable.ts'
import { ErrorBoundary } from '../ErrorBoundary.tsx'
import { useStore } from '../hooks/useStore.ts'
import { useCommandHandler, useContextValue } from '../commands/hooks.ts'
import { Keys } from '../commands/Keys.tsx'
import { useServices } from '../services.tsx'
import { FileIcon } from '../tree/FileIcon.tsx'
import { fileIconFor } from '../tree/fileIcons.ts'
import { useEditorController } from './editorControllerContext.tsx'
import { dismissFirstView } from '../firstView/handoff.ts'
import { dropIndex, neighbourTab, tabLabels } from './tabs.ts'
import './editor.css'

// Monaco is several MB: it loads when the first text file is opened, never with the app shell.
const MonacoPane = preloadable(() => import('./MonacoPane.tsx').then((m) => m.default))

/// Starts fetching Monaco before the editor pane renders it.
export function preloadMonaco(): void {
  void MonacoPane.preload()
}

export interface EditorAreaProps {
  workspace: Workspace
  /// The project's runtime once booted; the editor reads node_modules declaration files from it.
  runtime?: (() => Runtime | undefined) | undefined
  theme: 'light' | 'dark'
  /// Browse only (a shared version).
  readOnly?: boolean
}

const TAB_MIME = 'application/x-slipway-tab'
const IMAGE = /\.(?:png|jpe?g|gif|webp|avif|ico|bmp)$/i
const IMAGE_TYPES: Record<string, string> = { jpg: 'jpeg', svg: 'svg+xml', ico: 'x-icon' }

/// The editor: a tab per open file over one Monaco editor (a model per tab, bound to the file's Y.Text), a panel for
/// binary files, and an empty state with the keyboard shortcuts. Drive it from elsewhere with
/// the project's `session.editor` (reveal a line, focus, reload types after `npm install`).
///
/// Keys: the tab commands (useTabCommands): Alt+W closes the active tab, Ctrl+Tab / Ctrl+PageDown / Ctrl+Alt+PageDown
/// and back cycle tabs, Alt+1…9 jump to a tab. In the tab bar: ←/→ move between tabs, Delete closes, middle-click
/// closes.
export function EditorArea({ workspace, runtime, theme, readOnly }: EditorAreaProps) {
  const openTabs = useStore(workspace.store, (s) => s.openTabs)
  const activeTab = useStore(workspace.store, (s) => s.activeTab)
  const active = useFileKind(workspace, activeTab)
  const [monacoWanted, setMonacoWanted] = useState(false)
  const hasText = openTabs.some((p) => workspace.text(p))
  if (hasText && !monacoWanted) setMonacoWanted(true)

  useTabCommands(workspace, openTabs, activeTab)

  return (
    // Not a landmark of its own: the workbench's Editor region holds it.
    <div className="editor-area" data-testid="editor.area">
      {openTabs.length > 0 && <TabBar workspace={workspace} openTabs={openTabs} activeTab={activeTab} />}
      <div className="editor-body" role="tabpanel" aria-label={activeTab ?? 'No file open'}>
        {monacoWanted && (
          <ErrorBoundary fallback={<EditorFailed />}>
            <Suspense fallback={active.kind === 'text' ? <EditorLoading /> : null}>
              <MonacoPane workspace={workspace} runtime={runtime} theme={theme} hidden={active.kind !== 'text'} readOnly={readOnly} />
            </Suspense>
          </ErrorBoundary>
        )}
        {active.kind === 'binary' && activeTab && <BinaryPanel path={activeTab} bytes={active.bytes} />}
        {openTabs.length === 0 && <EditorEmpty />}
      </div>
    </div>
  )
}

export default EditorArea

type FileKind = { kind: 'text' } | { kind: 'binary'; bytes: Uint8Array } | { kind: 'none' }

/// Whether `path` is text or binary right now (a program can replace one with the other).
function useFileKind(workspace: Workspace, path: string | undefined): FileKind {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const observer = (e: { keysChanged: Set<string> }) => {
        if (path && e.keysChanged.has(path)) onChange()
      }
      workspace.files.observe(observer)
      return () => workspace.files.unobserve(observer)
    },
    [workspace, path],
  )
  const value = useSyncExternalStore(subscribe, () => (path ? workspace.files.get(path) : undefined))
  if (value instanceof Uint8Array) return { kind: 'binary', bytes: value }
  return value ? { kind: 'text' } : { kind: 'none' }
}

function TabBar({ workspace, openTabs, activeTab }: { workspace: Workspace; openTabs: readonly string[]; activeTab: string | undefined }) {
  const labels = tabLabels(openTabs)
  const listRef = useRef<HTMLDivElement>(null)
  const [drop, setDrop] = useState<{ path: string; after: boolean } | undefined>()
  const dragging = useRef<string | undefined>(undefined)
  const editor = useEditorController()

  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [activeTab, openTabs])

  const activate = (path: string, focusEditor: boolean) => {
    workspace.dispatch({ type: 'open', path })
    if (focusEditor) editor.focus()
  }
  const close = (path: string) => workspace.dispatch({ type: 'close', path })

  const onKeyDown = (e: ReactKeyboardEvent, path: string) => {
    const i = openTabs.indexOf(path)
    let target: string | undefined
    if (e.key === 'ArrowRight') target = openTabs[(i + 1) % openTabs.length]
    else if (e.key === 'ArrowLeft') target = openTabs[(i - 1 + openTabs.length) % openTabs.length]
    else if (e.key === 'Home') target = openTabs[0]
    else if (e.key === 'End') target = openTabs[openTabs.length - 1]
    else if (e.key === 'Delete') {
      e.preventDefault()
      const next = neighbourTab(openTabs, path, 1)
      close(path)
      if (next && next !== path) focusTab(listRef.current, next)
      return
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      activate(path, true)
      return
    }
    if (target) {
      e.preventDefault()
      activate(target, false)
      focusTab(listRef.current, target)
    }
  }

  const onDragOver = (e: DragEvent, path: string) => {
    if (!dragging.current || !e.dataTransfer.types.includes(TAB_MIME)) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    const rect = e.currentTarget.getBoundingClientRect()
    const after = e.clientX > rect.left + rect.width / 2
    if (drop?.path !== path || drop.after !== after) setDrop({ path, after })
  }
  const onDrop = (e: DragEvent, path: string) => {
    const from = dragging.current
    if (!from) return
    e.preventDefault()
    const rect = e.currentTarget.getBoundingClientRect()
    const after = e.clientX > rect.left + rect.width / 2
    workspace.dispatch({ type: 'move-tab', path: from, toIndex: dropIndex(openTabs.indexOf(from), openTabs.indexOf(path), after) })
    dragging.current = undefined
    setDrop(undefined)
  }

  return (
    <div
      className="editor-tabs"
      role="tablist"
      aria-label="Open files"
      ref={listRef}
      onWheel={(e) => {
        if (e.deltaY && !e.deltaX && listRef.current) listRef.current.scrollLeft += e.deltaY
      }}
    >
      {openTabs.map((path) => {
        const label = labels.get(path)!
        const selected = path === activeTab
        return (
          <div
            key={path}
            role="tab"
            className="editor-tab"
            data-testid="editor.tab"
            data-path={path}
            data-drop={drop?.path === path ? (drop.after ? 'after' : 'before') : undefined}
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            title={path}
            draggable
            onClick={() => activate(path, true)}
            onMouseDown={(e: ReactMouseEvent) => {
              // Middle button: no autoscroll, close on auxclick.
              if (e.button === 1) e.preventDefault()
            }}
            onAuxClick={(e) => {
              if (e.button === 1) {
                e.preventDefault()
                close(path)
              }
            }}
            onKeyDown={(e) => onKeyDown(e, path)}
            onDragStart={(e) => {
              dragging.current = path
              e.dataTransfer.effectAllowed = 'move'
              e.dataTransfer.setData(TAB_MIME, path)
              e.dataTransfer.setData('text/plain', path)
            }}
            onDragEnd={() => {
              dragging.current = undefined
              setDrop(undefined)
            }}
            onDragOver={(e) => onDragOver(e, path)}
            onDragLeave={() => setDrop((d) => (d?.path === path ? undefined : d))}
            onDrop={(e) => onDrop(e, path)}
          >
            <FileIcon icon={fileIconFor(path)} />
            <span className="editor-tab-name">{label.name}</span>
            {label.description && <span className="editor-tab-desc">{label.description}</span>}
            {/* A pointer target only, as in VS Code: a tab is one control (a focusable button inside it would be a
                second, nested one), and keyboard users close the focused tab with Delete or any tab with Alt+W. */}
            <span
              className="editor-tab-close"
              aria-hidden="true"
              title="Close (Alt+W)"
              data-testid="editor.tab-close"
              onClick={(e) => {
                e.stopPropagation()
                close(path)
              }}
            >
              <svg viewBox="0 0 16 16" width="14" height="14" focusable="false">
                <path d="M4.5 4.5l7 7m0-7l-7 7" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
              </svg>
            </span>
          </div>
        )
      })}
    </div>
  )
}

function focusTab(list: HTMLElement | null, path: string) {
  // After React re-renders the roving tabindex.
  requestAnimationFrame(() => list?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus())
}

/// The editor tabs' commands (keys in ui/commands/workbenchCommands.ts): next / previous tab, close the active one,
/// the n-th and the last. Switching from a terminal leaves focus there; from anywhere else the editor takes it.
function useTabCommands(workspace: Workspace, openTabs: readonly string[], activeTab: string | undefined) {
  const { contextKeys } = useServices()
  const editor = useEditorController()
  useContextValue('openEditorCount', () => openTabs.length)
  const show = (target: string | undefined) => {
    if (!target) return
    workspace.dispatch({ type: 'open', path: target })
    if (!contextKeys.get('terminalFocus')) editor.focus()
  }
  useCommandHandler('workbench.action.nextEditor', () => show(neighbourTab(openTabs, activeTab, 1)))
  useCommandHandler('workbench.action.previousEditor', () => show(neighbourTab(openTabs, activeTab, -1)))
  useCommandHandler('workbench.action.closeActiveEditor', () => {
    if (activeTab) workspace.dispatch({ type: 'close', path: activeTab })
  })
  useOpenEditorAtIndex(1, show, openTabs)
  useOpenEditorAtIndex(2, show, openTabs)
  useOpenEditorAtIndex(3, show, openTabs)
  useOpenEditorAtIndex(4, show, openTabs)
  useOpenEditorAtIndex(5, show, openTabs)
  useOpenEditorAtIndex(6, show, openTabs)
  useOpenEditorAtIndex(7, show, openTabs)
  useOpenEditorAtIndex(8, show, openTabs)
  useCommandHandler('workbench.action.lastEditorInGroup', () => show(openTabs[openTabs.length - 1]))
}

function useOpenEditorAtIndex(n: number, show: (path: string | undefined) => void, openTabs: readonly string[]) {
  useCommandHandler(`workbench.action.openEditorAtIndex${n}`, () => show(openTabs[n - 1]))
}

/// The empty editor's hints: the commands a newcomer reaches for first, with their keys from the registry.
const EMPTY_HINTS: ReadonlyArray<[label: string, command: string]> = [
  ['Show all commands', 'workbench.action.showCommands'],
  ['Go to file', 'workbench.action.quickOpen'],
  ['Search in files', 'workbench.action.findInFiles'],
  ['Toggle terminal', 'workbench.action.terminal.toggleTerminal'],
  ['Toggle sidebar', 'workbench.action.toggleSidebarVisibility'],
  ['Close tab', 'workbench.action.closeActiveEditor'],
]

function EditorEmpty() {
  const { commands } = useServices()
  return (
    <div className="editor-empty" data-testid="editor.empty">
      <p className="editor-empty-title">No file open</p>
      <p className="editor-empty-hint">Open a file from the tree, or:</p>
      <dl className="editor-empty-keys">
        {EMPTY_HINTS.map(([label, id]) => {
          const binding = commands.keybindingsFor(id)[0]
          return (
            binding && (
              <div key={label} className="editor-empty-row">
                <dt>{label}</dt>
                <dd>
                  <Keys chord={binding.chord} platform={commands.platform} label={binding.label} />
                </dd>
              </div>
            )
          )
        })}
      </dl>
    </div>
  )
}

function BinaryPanel({ path, bytes }: { path: string; bytes: Uint8Array }) {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  const isImage = IMAGE.test(path)
  const [url, setUrl] = useState<string | undefined>()
  useEffect(() => {
    if (!isImage) return
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: `image/${IMAGE_TYPES[ext] ?? ext}` })
    const u = URL.createObjectURL(blob)
    setUrl(u)
    return () => {
      URL.revokeObjectURL(u)
      setUrl(undefined)
    }
  }, [bytes, ext, isImage])
  return (
    <div className="editor-binary" data-testid="editor.binary" role="note">
      {url && <img className="editor-binary-image" src={url} alt={path} />}
      <p>
        <strong>Binary file</strong>, {formatBytes(bytes.length)}
      </p>
      <p className="editor-binary-path">{path}</p>
      <p className="editor-binary-hint">Binary files are kept and synced, but not edited here.</p>
    </div>
  )
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB (${n.toLocaleString('en')} bytes)`
  return `${(n / 1024 / 1024).toFixed(1)} MB (${n.toLocaleString('en')} bytes)`
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
  // The light view of the last visit (public/first-view.js) waits for Monaco to take it over: it never will. Take it
  // down so this message shows, and show anything typed into it (handoff's notice) rather than drop it.
  useEffect(() => dismissFirstView(), [])
  return (
    <div className="editor-placeholder" role="alert" data-testid="editor.failed">
      The editor could not be loaded. Check your connection, then reload the page.
    </div>
  )
}
