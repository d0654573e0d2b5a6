import { z } from 'zod'

/// The project document: `doc.getMap(FILES_MAP)` maps a project path (see `checkProjectPath`) to a `Y.Text` for a
/// text file or a `Uint8Array` for a binary file; `FOLDERS_MAP` below lists empty folders. Nothing else may be in the doc.
export const FILES_MAP = 'files'

/// The project's folders that must exist even when they hold no file (made in the tree or by a program):
/// `doc.getMap(FOLDERS_MAP)` maps a folder path (see `checkProjectPath`) to `true`. A folder that holds files exists
/// through them whether or not it is listed here. Nothing else is allowed in it.
export const FOLDERS_MAP = 'folders'

/// Body of `POST /api/projects/:id/sync`: a raw Yjs update (V1 encoding) with this content type. The answer to
/// `GET …/sync?sv=` uses it too.
export { YJS_UPDATE_CONTENT_TYPE } from '../config.ts'

/// Answer to a sync push: the server's state vector after the merge, base64url. `etag` comes only when the push
/// carried the doc version its client last pulled (`DOC_VERSION_HEADER`) and nothing else was merged since: the
/// client then holds the whole doc, and `etag` is what its next pull would answer (so that pull is a 304, not the
/// doc's whole delete set again).
export const SyncPushResponseSchema = z.object({ stateVector: z.string(), etag: z.string().optional() })
export type SyncPushResponse = z.infer<typeof SyncPushResponseSchema>

/// Header on sync answers: the server's state vector (base64url), so a pull also tells the client what the
/// server has.
export const STATE_VECTOR_HEADER = 'X-Slipway-State-Vector'

/// Header on pull answers: the version (a decimal number) of the doc the answer was made from. A push may send back
/// the version its client last pulled, in the same header (see `SyncPushResponseSchema`).
export const DOC_VERSION_HEADER = 'X-Slipway-Doc-Version'

/// A doc version as `DOC_VERSION_HEADER` carries it.
export const DOC_VERSION_PATTERN = /^\d{1,15}$/
