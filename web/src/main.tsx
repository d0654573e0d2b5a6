import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AiClient } from './adapters/api/AiClient.ts'
import { ApiClient } from './adapters/api/client.ts'
import type { ApiResult } from './adapters/api/client.ts'
import { checkHealth } from './adapters/api/health.ts'
import { AiConversations } from './adapters/persistence/AiConversations.ts'
import { LocalStore } from './adapters/persistence/LocalStore.ts'
import { ShareRecords } from './adapters/persistence/ShareRecords.ts'
import { registerAppUpdates } from './adapters/sw/appUpdates.ts'
import { readSetting, writeSetting } from './adapters/persistence/settings.ts'
import { readStorageInfo, requestPersistenceOnce } from './adapters/persistence/storage.ts'
import type { WebContainerBooter } from './adapters/webcontainer/index.ts'
import { DocumentAppearance } from './adapters/appearance/DocumentAppearance.ts'
import { Account } from './core/account/Account.ts'
import { APPEARANCE_SETTING, parseAppearance } from './core/appearance/appearance.ts'
import type { Appearance } from './core/appearance/appearance.ts'
import { readAppEnv } from './core/env.ts'
import { ProjectLibrary } from './core/projects/ProjectLibrary.ts'
import { ShareLoader } from './core/shares/ShareLoader.ts'
import type { Fetched } from './core/shares/ShareLoader.ts'
import { choiceFromQuery, RuntimeChoiceSchema, withoutChoice } from './core/runtime/choice.ts'
import { Connectivity } from './core/status/Connectivity.ts'
import { CommandRegistry, ContextKeys } from './core/commands/index.ts'
import type { RuntimeChoice } from './core/runtime/choice.ts'
import { Store } from './core/store.ts'
import { previewConsoleScript, UserSchema } from '@slipway/shared'
import { App } from './ui/App.tsx'
import { declareWorkbenchCommands } from './ui/commands/workbenchCommands.ts'
import { isMac } from './ui/editor/keys.ts'
import { parseRoute } from './ui/router.tsx'
import { ServicesProvider } from './ui/services.tsx'
import type { AppServices } from './ui/services.tsx'

// The only place things are wired: read the environment, build adapters, hand them to the UI.

// Appearance first: public/appearance.js already set the scheme before the first paint; from here on it follows the
// setting (and the system, for "system") live.
const appearance = new Store<Appearance>(parseAppearance(readSetting(localStorage, APPEARANCE_SETTING)))
const documentAppearance = new DocumentAppearance(appearance, window)

const env = readAppEnv(window)
const fetchFn = window.fetch.bind(window)
const api = new ApiClient(fetchFn)
const local = new LocalStore(indexedDB, { scope: window })
/// The assistant's conversations, kept per project in this browser (and forgotten with the project).
const aiConversations = new AiConversations()
// A project URL: its doc is read from the local store first thing, while the workbench's code loads.
const route = parseRoute(location.pathname)
if (route.name === 'project') local.prefetchDoc(route.id)
// A share page sends no Referer to what it links to or loads (the server says so too, but a page the service worker
// serves from its cache carries the headers of the cached index.html): the link id never leaks.
if (route.name === 'share') document.head.append(Object.assign(document.createElement('meta'), { name: 'referrer', content: 'no-referrer' }))
// The runtimes load with the workbench, not with the first page.
let booter: Promise<WebContainerBooter> | undefined
const webContainerBooter = () =>
  (booter ??= Promise.all([import('@webcontainer/api'), import('./adapters/webcontainer/index.ts')]).then(
    ([{ WebContainer }, wc]) =>
      new wc.WebContainerBooter({
        WebContainer,
        coep: env.coep,
        platform: wc.readWebContainerPlatform(window),
        // The same preview console script the local runtime's proxy serves, posting to this page's origin.
        previewConsole: { script: previewConsoleScript(location.origin), messages: window },
      }),
  ))

// A runtime chosen in the address (`?runtime=local&token=…`) is kept with the settings, and taken out of the
// address so the token is in no URL a person copies from now on.
const queryChoice = choiceFromQuery(location.search)
if (queryChoice) writeSetting(localStorage, 'runtime', queryChoice)
const withoutQueryChoice = withoutChoice(location.href)
if (withoutQueryChoice !== undefined) history.replaceState(history.state, '', withoutQueryChoice)
const storedChoice = RuntimeChoiceSchema.safeParse(readSetting(localStorage, 'runtime'))
const runtimeChoice = new Store<RuntimeChoice>(queryChoice ?? (storedChoice.success ? storedChoice.data : { kind: 'webcontainer' }))

const updates = registerAppUpdates(window)
const connectivity = new Connectivity((signal) => checkHealth(fetchFn, signal), window)
connectivity.start()

// Every command and keybinding the workbench has, known from the start (the palette and Settings list them all).
const commands = new CommandRegistry(isMac() ? 'mac' : 'other')
declareWorkbenchCommands(commands)

const services: AppServices = {
  env,
  commands,
  contextKeys: new ContextKeys(),
  api,
  local,
  account: new Account(api, {
    get: () => {
      const parsed = UserSchema.safeParse(readSetting(localStorage, 'user'))
      return parsed.success ? parsed.data : undefined
    },
    set: (user) => writeSetting(localStorage, 'user', user),
  }),
  library: new ProjectLibrary(local, api, aiConversations),
  connectivity,
  runtimeChoice,
  setRuntimeChoice: (choice) => {
    writeSetting(localStorage, 'runtime', choice)
    runtimeChoice.update(() => choice)
  },
  bootRuntime: async (choice, projectId) =>
    choice.kind === 'local'
      ? (await import('./adapters/local/index.ts')).LocalRuntime.connect({ url: choice.url, project: projectId })
      : (await webContainerBooter()).boot(),
  updates,
  appearance,
  colorScheme: documentAppearance.scheme,
  setAppearance: (next) => {
    const valid = parseAppearance(next)
    writeSetting(localStorage, APPEARANCE_SETTING, valid)
    appearance.update(() => valid)
  },
  prefs: { get: (key) => readSetting(localStorage, key), set: (key, value) => writeSetting(localStorage, key, value) },
  storage: {
    info: () => readStorageInfo(navigator.storage),
    persist: async () => navigator.storage?.persist?.().catch(() => undefined),
    persistOnce: () => void requestPersistenceOnce(navigator.storage, localStorage),
  },
  // Yjs and the sync client load with the workbench, not with the first page.
  openSync: async (doc, projectId) =>
    new (await import('./adapters/sync/HttpSyncClient.ts')).HttpSyncClient(doc, projectId, api, {
      scope: window,
      bookkeeping: { get: () => local.getSyncMeta(projectId), put: (meta) => local.putSyncMeta(projectId, meta) },
    }),
  shares: new ShareLoader({
    manifest: async (linkId, version, signal) => httpFailure(await api.shareManifest(linkId, version, signal)),
    pack: async (linkId, version, maxBytes, signal) => {
      const r = await api.sharePack(linkId, version, maxBytes, signal)
      return r.ok || r.kind === 'too-large' ? r : httpFailure(r)
    },
    records: new ShareRecords(),
    deleteDoc: (key) => local.deleteDoc(key),
    now: () => new Date().toISOString(),
  }),
  ai: { port: new AiClient(fetchFn), conversations: aiConversations, onPageHidden },
}

/// Calls `listener` when the page is hidden (another tab, a minimized window) or left (reload, close).
function onPageHidden(listener: () => void): () => void {
  const hidden = () => document.visibilityState === 'hidden' && listener()
  window.addEventListener('visibilitychange', hidden)
  window.addEventListener('pagehide', listener)
  return () => {
    window.removeEventListener('visibilitychange', hidden)
    window.removeEventListener('pagehide', listener)
  }
}

/// An API answer as the share loader takes it (the HTTP status tells revoked from unknown).
function httpFailure<T>(r: ApiResult<T>): Fetched<T> {
  return r.ok ? r : r.kind === 'network' ? r : { ok: false, kind: 'http', status: r.status, message: r.message }
}

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no <div id="root">')

createRoot(container).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <App />
    </ServicesProvider>
  </StrictMode>,
)
