import { useEffect } from 'react'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { useServices } from '../services.tsx'
import { editorViewMismatch } from '../../core/firstView/firstView.ts'
import { captureFirstView } from './captureFirstView.ts'
import { useEditorProbe } from '../editor/editorControllerContext.tsx'
import { dismissFirstView, firstViewPending } from './handoff.ts'

/// How long the view must be still before it is captured again.
const DEBOUNCE_MS = 500
/// After a capture that did not match the editor, the first try again, and the longest wait between tries.
const RETRY_MS = 1000
const MAX_RETRY_MS = 8000

/// The workbench's part of the first view: keeps it up to date (useFirstViewWriter), and takes the light view down at
/// once when the active file is not one the editor shows (the editor takes it over otherwise: ui/editor/
/// firstViewTakeover.ts).
export function useFirstView(projectId: string, workspace: Workspace): void {
  useEffect(() => {
    const active = workspace.state.activeTab
    if (!active || !workspace.text(active)) dismissFirstView()
  }, [workspace])
  useFirstViewWriter(projectId, workspace)
}

/// Keeps the project's first view (core/firstView) up to date while the workbench shows: captured from the DOM
/// ~500 ms after a scroll, an edit in view, a tab or tree change, a resize or a theme change (in an idle callback),
/// and at once when the page is hidden or left. A capture whose code lines are not the ones the editor is scrolled to
/// (core/firstView editorViewMismatch) is not stored: the last good one stays, and the capture is tried again.
export function useFirstViewWriter(projectId: string, workspace: Workspace): void {
  const { local } = useServices()
  const probe = useEditorProbe()
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let idle: number | undefined
    let disposed = false
    // After a capture that was not what the page shows, the next try waits longer (a dialog may stay open a while).
    let retryMs = RETRY_MS
    const write = () => {
      // While the light view shows, or before the editor shows the active text file, the page is not the view to keep.
      if (disposed || firstViewPending()) return
      const editor = probe.read?.()
      const active = workspace.state.activeTab
      if (active && workspace.text(active) && editor?.path !== active) return
      const view = captureFirstView(window, editor)
      // Lines that are not the ones the editor is scrolled to (a dialog over it, a font change not yet painted): keep
      // the last good view, and try again in a while (nothing else may change to trigger it, e.g. closing a dialog).
      if (view?.editor && editorViewMismatch(view.editor, editor?.fontSize) !== undefined) {
        clearTimeout(timer)
        timer = setTimeout(write, retryMs)
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
        return
      }
      retryMs = RETRY_MS
      // A view that cannot be stored only costs the next page load its head start; say why in the console.
      if (view) void local.putFirstView(projectId, view).catch((err: unknown) => console.warn('The first view was not stored:', err))
    }
    const schedule = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(write, { timeout: 2000 })
        else write()
      }, DEBOUNCE_MS)
    }
    const now = () => {
      clearTimeout(timer)
      write()
    }
    const onVisibility = () => document.visibilityState === 'hidden' && now()
    const offProbe = probe.onChange(schedule)
    const offStore = workspace.store.subscribe(schedule)
    const theme = new MutationObserver(schedule)
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
    window.addEventListener('resize', schedule)
    window.addEventListener('pagehide', now)
    document.addEventListener('visibilitychange', onVisibility)
    schedule()
    return () => {
      disposed = true
      clearTimeout(timer)
      if (idle !== undefined) cancelIdleCallback(idle)
      offProbe()
      offStore()
      theme.disconnect()
      window.removeEventListener('resize', schedule)
      window.removeEventListener('pagehide', now)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [local, projectId, workspace, probe])
}
