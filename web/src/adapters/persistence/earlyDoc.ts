import type { PreloadedDoc } from './DocPersistence.ts'
import { docDbName } from './LocalStore.ts'

/// The read of a project's doc store that `public/early-doc.js` started before any module ran, if it started one
/// for this project. What it hands over is checked here: anything unexpected counts as no read at all (the app then
/// reads the store itself).
export function earlyDocRead(scope: object, projectId: string): Promise<PreloadedDoc | null> | undefined {
  const early = (scope as { __slipwayEarlyDoc?: unknown }).__slipwayEarlyDoc
  if (!early || typeof early !== 'object') return undefined
  const { name, result } = early as { name?: unknown; result?: unknown }
  if (name !== docDbName(projectId) || !(result instanceof Promise)) return undefined
  return (result as Promise<unknown>).then(
    (read) => (isPreloadedDoc(read) ? read : null),
    () => null,
  )
}

function isPreloadedDoc(read: unknown): read is PreloadedDoc {
  if (!read || typeof read !== 'object') return false
  const { updates, lastKey } = read as { updates?: unknown; lastKey?: unknown }
  return Array.isArray(updates) && updates.every((u) => u instanceof Uint8Array) && Number.isSafeInteger(lastKey)
}
