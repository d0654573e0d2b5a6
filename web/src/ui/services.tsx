import { createContext, useContext } from 'react'
import type { ReactNode } from 'react'
import type { ApiClient } from '../adapters/api/client.ts'
import type { LocalStore } from '../adapters/persistence/LocalStore.ts'
import type { StorageInfo } from '../adapters/persistence/storage.ts'
import type { AppUpdates } from '../adapters/sw/appUpdates.ts'
import type { Appearance, ColorScheme } from '../core/appearance/appearance.ts'
import type { CommandRegistry, ContextKeys } from '../core/commands/index.ts'
import type { Account } from '../core/account/Account.ts'
import type { AiPort } from '../core/ai/AiPort.ts'
import type { AiConversationStore } from '../core/ai/conversation.ts'
import type { ProjectLibrary } from '../core/projects/ProjectLibrary.ts'
import type { AppEnv } from '../core/env.ts'
import type { RuntimeChoice } from '../core/runtime/choice.ts'
import type { ShareLoader } from '../core/shares/ShareLoader.ts'
import type { Connectivity } from '../core/status/Connectivity.ts'
import type { BootResult } from '../core/runtime/index.ts'
import type { Store } from '../core/store.ts'
import type { SyncClient } from '../core/sync/SyncClient.ts'
import type * as Y from 'yjs'

/// Everything the UI gets from main.tsx: adapters and app-wide state, built once and passed down.
export interface AppServices {
  env: AppEnv
  api: ApiClient
  local: LocalStore
  account: Account
  library: ProjectLibrary
  /// Whether the network and the server are there (started by main.tsx).
  connectivity: Connectivity
  runtimeChoice: Store<RuntimeChoice>
  setRuntimeChoice(choice: RuntimeChoice): void
  /// Boots the chosen runtime for a project (one WebContainer per page; the local agent per project folder).
  bootRuntime(choice: RuntimeChoice, projectId: string): Promise<BootResult>
  /// This device's storage: what the browser says, and asking it to keep our data (once, or when the person asks).
  storage: { info(): Promise<StorageInfo>; persist(): Promise<boolean | undefined>; persistOnce(): void }
  /// How the app looks on this device (Settings → Appearance), validated; `setAppearance` stores and applies it.
  appearance: Store<Appearance>
  setAppearance(next: Appearance): void
  /// The scheme shown now: the appearance's theme, or the system's when it is "system".
  colorScheme: Store<ColorScheme>
  /// Small per-browser preferences (localStorage); reads are unchecked values, validate them.
  prefs: { get(key: string): unknown; set(key: string, value: unknown): void }
  /// The service worker's updates; `undefined` in development or where the browser has no service workers.
  updates: AppUpdates | undefined
  /// Starts keeping a server project's doc in step with the server.
  openSync(doc: Y.Doc, projectId: string): Promise<SyncClient>
  /// Shared versions: finding one (server, else this device's copy).
  shares: Pick<ShareLoader, 'resolve' | 'forget'>
  /// Every command and keybinding (the workbench's are declared at startup); views give them handlers.
  commands: CommandRegistry
  /// What `when` clauses read: focus, open dialogs, counts. Views keep their own keys up to date.
  contextKeys: ContextKeys
  /// The assistant: the server's Claude proxy and this browser's conversation store. Each open project of the
  /// person's own gets an `AiSession` over them (`session.ai`).
  ai: { port: AiPort; conversations: AiConversationStore; onPageHidden?: (listener: () => void) => () => void }
}

const ServicesContext = createContext<AppServices | null>(null)

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}

export function useServices(): AppServices {
  const s = useContext(ServicesContext)
  if (!s) throw new Error('useServices() must be used inside <ServicesProvider>')
  return s
}
