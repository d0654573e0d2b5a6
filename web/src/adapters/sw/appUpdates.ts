import type { Workbox } from 'workbox-window'
import { Store } from '../../core/store.ts'

/// The service worker as the page sees it.
export interface AppUpdateState {
  /// A new version is installed and waiting for this page's consent ("A new version is ready — Reload").
  waiting: boolean
  /// The first install finished: the app and its editor now open without a network.
  offlineReady: boolean
}

export interface AppUpdates {
  readonly store: Store<AppUpdateState>
  /// Activates the waiting version and reloads this page once it is in control.
  reload(): void
  dismissOfflineReady(): void
}

export type WorkboxLike = Pick<Workbox, 'addEventListener' | 'register' | 'messageSkipWaiting' | 'update'>

/// Registers the service worker through workbox-window (loaded after the first paint) and turns its events into
/// state. Never activates a new version on its own: tabs on the old version keep loading their lazy chunks from the
/// old precache until the person reloads.
export function watchAppUpdates(workbox: Promise<WorkboxLike>, page: { reload(): void; hasController(): boolean }): AppUpdates {
  const store = new Store<AppUpdateState>({ waiting: false, offlineReady: false })
  let wb: WorkboxLike | undefined
  let requested = false
  let takenOver = false
  void workbox
    .then((w) => {
      wb = w
      w.addEventListener('waiting', () => store.update((s) => ({ ...s, waiting: true })))
      w.addEventListener('installed', (e) => {
        if (!e.isUpdate) store.update((s) => ({ ...s, offlineReady: true }))
      })
      w.addEventListener('controlling', (e) => {
        if (requested) page.reload()
        // Another tab chose to update: this page now runs under the new version's service worker, whose cache
        // lacks this page's old lazy chunks. Keep asking for a reload.
        else if (e.isUpdate) {
          takenOver = true
          store.update((s) => ({ ...s, waiting: true }))
        }
      })
      // Browsers look for a new version on navigation; a tab left open for days asks every hour.
      setInterval(() => void w.update(), 60 * 60 * 1000)
      return w.register()
    })
    .catch((err: unknown) => console.warn('Service worker registration failed; Slipway will not open offline.', err))
  return {
    store,
    reload() {
      requested = true
      if (takenOver || !wb || !store.get().waiting) return page.reload()
      wb.messageSkipWaiting()
      // The 'controlling' event reloads; a page with no controller (first visit) never gets one.
      if (!page.hasController()) page.reload()
    },
    dismissOfflineReady: () => store.update((s) => ({ ...s, offlineReady: false })),
  }
}

/// In production builds only (the dev server has no sw.js) and where the browser has service workers.
export function registerAppUpdates(scope: Window): AppUpdates | undefined {
  if (!import.meta.env.PROD || !('serviceWorker' in scope.navigator)) return undefined
  return watchAppUpdates(
    import('workbox-window').then(({ Workbox }) => new Workbox('/sw.js')),
    { reload: () => scope.location.reload(), hasController: () => scope.navigator.serviceWorker.controller !== null },
  )
}
