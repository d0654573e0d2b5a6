import { readSetting, writeSetting } from './settings.ts'

/// What the browser says about this site's storage.
export interface StorageInfo {
  /// `true`: the browser will not clear it under storage pressure; `undefined`: the browser cannot tell.
  persisted: boolean | undefined
  usage: number | undefined
  quota: number | undefined
}

type StorageManagerLike = Partial<Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>>

export async function readStorageInfo(storage: StorageManagerLike | undefined): Promise<StorageInfo> {
  const [persisted, estimate] = await Promise.all([
    storage?.persisted?.().catch(() => undefined),
    storage?.estimate?.().catch(() => undefined),
  ])
  return { persisted, usage: estimate?.usage, quota: estimate?.quota }
}

/// Asks once per browser (the first time a project is opened) for storage the browser will not evict. Chrome
/// answers from its own heuristics without a prompt; asking again later is what the settings button is for.
export async function requestPersistenceOnce(storage: StorageManagerLike | undefined, settings: Storage): Promise<boolean | undefined> {
  if (!storage?.persist || readSetting(settings, 'storage-persist-asked') === true) return undefined
  writeSetting(settings, 'storage-persist-asked', true)
  return storage.persist().catch(() => undefined)
}
