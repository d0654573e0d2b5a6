/// Small app settings in localStorage (runtime choice, last signed-in user), JSON-encoded under `slipway:`.
/// Readers validate what they get; storage errors (private mode, quota) read as "unset".
export function readSetting(storage: Storage, key: string): unknown {
  try {
    const raw = storage.getItem(`slipway:${key}`)
    return raw === null ? undefined : JSON.parse(raw)
  } catch {
    return undefined
  }
}

export function writeSetting(storage: Storage, key: string, value: unknown): void {
  try {
    if (value === undefined) storage.removeItem(`slipway:${key}`)
    else storage.setItem(`slipway:${key}`, JSON.stringify(value))
  } catch {
    // Not fatal: the setting lasts for this page only.
  }
}
