import { createHash } from 'node:crypto'
import { FILES_MAP, FOLDERS_MAP, LIMITS, checkProjectPath, filePathOf } from '@slipway/shared'
import * as Y from 'yjs'
import type { FileContent, FileDigest, StoredFile } from '../ports.ts'
import { DomainError } from './errors.ts'
import { checkUpdateLayout } from './update-layout.ts'
import type { LayoutLimits } from './update-layout.ts'

const unreachable = (x: never): never => {
  throw new RangeError(`Unexpected verdict ${String(x)}`)
}

/// Pure Yjs kernel for the project document (layout in `@slipway/shared`: `files` maps path → Y.Text | Uint8Array).

const encoder = new TextEncoder()

/// A doc holding the given text files, for seeding a project from a template.
export function docFromFiles(files: Readonly<Record<string, string>>): Y.Doc {
  const doc = new Y.Doc()
  const map = doc.getMap(FILES_MAP)
  doc.transact(() => {
    for (const [path, text] of Object.entries(files)) map.set(path, new Y.Text(text))
  })
  return doc
}

export function docFromUpdates(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true })
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  return doc
}

/// The bytes a path holds in the doc, or `undefined` if there is no such file.
export function fileBytes(doc: Y.Doc, path: string): Uint8Array | undefined {
  const value = doc.getMap(FILES_MAP).get(path)
  if (value instanceof Y.Text) return encoder.encode(value.toString())
  if (value instanceof Uint8Array) return value
  return undefined
}

/// A file's content as the doc holds it: a text as its pieces (see `textPieces`), a binary's bytes; `undefined` if
/// there is no such file.
export function fileContent(doc: Y.Doc, path: string): FileContent | undefined {
  const value = doc.getMap(FILES_MAP).get(path)
  if (value instanceof Y.Text) return { path, content: textPieces(value) }
  if (value instanceof Uint8Array) return { path, content: value }
  return undefined
}

/// The strings of a text's live items, in order: joined, they are `text.toString()` (the same walk Yjs does). Hashing
/// them one by one costs half of hashing the joined string, which V8 has to flatten and copy first.
export function textPieces(text: Y.Text): string[] {
  const pieces: string[] = []
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable && item.content instanceof Y.ContentString) pieces.push(item.content.str)
  }
  return pieces
}

/// Calls `fn` with a text's UTF-8 encodable chunks, in order: the pieces, except that a high surrogate ending one waits
/// for the next, so a pair split between two pieces is encoded as the joined string encodes it (a lone surrogate
/// becomes U+FFFD, exactly what `fileBytes` encodes).
function eachChunk(content: string | readonly string[], fn: (chunk: string) => void): void {
  let carry = ''
  for (const piece of typeof content === 'string' ? [content] : content) {
    let chunk = carry + piece
    carry = ''
    const last = chunk.charCodeAt(chunk.length - 1)
    if (last >= 0xd800 && last <= 0xdbff) {
      carry = chunk.slice(-1)
      chunk = chunk.slice(0, -1)
    }
    fn(chunk)
  }
  if (carry) fn(carry)
}

/// Byte size of a file's UTF-8 bytes (what `fileBytes` builds), without building them.
export function contentSize(content: FileContent['content']): number {
  if (content instanceof Uint8Array) return content.byteLength
  let size = 0
  eachChunk(content, (chunk) => (size += Buffer.byteLength(chunk, 'utf8')))
  return size
}

/// Size and SHA-256 of a file's UTF-8 bytes (what `fileBytes` builds), without building them: a text in pieces is
/// hashed piece by piece.
export function digestContent(file: FileContent): FileDigest {
  const { path, content } = file
  if (content instanceof Uint8Array) return { path, size: content.byteLength, sha256: createHash('sha256').update(content).digest('hex') }
  const h = createHash('sha256')
  let size = 0
  eachChunk(content, (chunk) => {
    size += Buffer.byteLength(chunk, 'utf8')
    h.update(chunk, 'utf8')
  })
  return { path, size, sha256: h.digest('hex') }
}

export function fileDigest(doc: Y.Doc, path: string): FileDigest | undefined {
  const file = fileContent(doc, path)
  return file && digestContent(file)
}

export function storedFile(path: string, content: Uint8Array): StoredFile {
  return { path, size: content.byteLength, sha256: createHash('sha256').update(content).digest('hex'), content }
}

export function allFiles(doc: Y.Doc): StoredFile[] {
  const out: StoredFile[] = []
  for (const path of doc.getMap(FILES_MAP).keys()) {
    const bytes = fileBytes(doc, path)
    if (bytes) out.push(storedFile(path, bytes))
  }
  return out
}

export interface AppliedUpdate {
  /// Exactly what the update added to the doc (new items and deletions), or `null` when it added nothing.
  delta: Uint8Array | null
  /// Paths whose entry or text changed.
  touched: Set<string>
  /// For each touched path, how many bytes the update added to the file if the file was all ASCII before (see
  /// `asciiSize`): it inserted only ASCII text and deleted only characters (negative when it shrank the file).
  /// `null` when the file has to be measured again (replaced, deleted, or given anything else).
  asciiDelta: Map<string, number | null>
  /// The update only deletes (no structs, a delete set): it never counts against a storage quota.
  deletesOnly: boolean
}

/// A file's size (UTF-8 bytes, what `fileBytes` builds) and whether it is all ASCII text: no other characters and
/// no embeds, so that its size is its length and an edit that inserts only ASCII changes it by the characters
/// inserted minus those deleted (`AppliedUpdate.asciiDelta`). `undefined` if there is no such file.
export function measureFile(doc: Y.Doc, path: string): { size: number; ascii: boolean } | undefined {
  const value = doc.getMap(FILES_MAP).get(path)
  if (value instanceof Uint8Array) return { size: value.byteLength, ascii: false }
  if (!(value instanceof Y.Text)) return undefined
  const pieces = textPieces(value)
  const size = contentSize(pieces)
  let units = 0
  for (const piece of pieces) units += piece.length
  // Every character outside ASCII takes more UTF-8 bytes than UTF-16 units; an embed counts in the length only.
  return { size, ascii: size === units && units === value.length }
}

const ASCII = /^[\x00-\x7f]*$/

/// Bytes a Y.Text event added to an all-ASCII text, or `null` when that is not a count of characters.
function asciiEventDelta(event: Y.YTextEvent): number | null {
  let delta = 0
  for (const op of event.delta) {
    if (op.delete !== undefined) delta -= op.delete
    else if (op.insert !== undefined) {
      if (typeof op.insert !== 'string' || !ASCII.test(op.insert)) return null
      delta += op.insert.length
    }
  }
  return delta
}

/// An update refused before anything of it was applied: the doc is exactly as it was.
export class RefusedUpdate extends DomainError {}

/// Applies a client's update to `doc` and checks the result against the layout, path rules and per-file limits.
/// The update's structs are checked against the project-doc layout first (`checkUpdateLayout`): one outside it is
/// refused before anything is applied. Throws `DomainError`: `malformed_update` for bytes that are not a Yjs update,
/// `invalid_update` for a broken rule, `update_incomplete` when it depends on changes the doc lacks,
/// `payload_too_large` for an oversized update. After a throw `doc` may be partly changed: callers must discard it.
export function applyClientUpdate(doc: Y.Doc, update: Uint8Array, limits?: LayoutLimits): AppliedUpdate {
  const verdict = checkUpdateLayout(doc, update, limits)
  if (!verdict.ok) {
    switch (verdict.kind) {
      case 'malformed':
        throw new RefusedUpdate('malformed_update', `Body is not a valid Yjs update: ${verdict.message}`)
      case 'layout':
        throw new RefusedUpdate('invalid_update', verdict.message, verdict.details)
      case 'too_large':
        throw new RefusedUpdate('payload_too_large', verdict.message, verdict.details)
      case 'missing':
        throw new RefusedUpdate('update_incomplete', verdict.message)
      default:
        return unreachable(verdict.kind)
    }
  }
  const { from } = verdict
  const files = doc.getMap(FILES_MAP)
  const touched = new Set<string>()
  const asciiDelta = new Map<string, number | null>()
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    for (const event of events) {
      if (event.target === files) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
          touched.add(key)
          asciiDelta.set(key, null)
        }
      } else {
        // A change inside a file's Y.Text.
        const path = filePathOf(event.target, files)
        if (!path) continue
        touched.add(path)
        const before = asciiDelta.get(path)
        if (before === null) continue
        const added = files.get(path) === event.target && event instanceof Y.YTextEvent ? asciiEventDelta(event) : null
        asciiDelta.set(path, added === null ? null : (before ?? 0) + added)
      }
    }
  }
  // What to store is what the update changed. The usual push continues each of its clients exactly where the doc
  // stands, so every struct in it is new: then the update itself is that, stored as sent. Anything else (a retry,
  // an overlap, deletions only) is stored as the doc's own encoding of the change (its `update` event), which Yjs
  // only computes when someone listens.
  let continues = from.size > 0
  for (const [client, clock] of from) {
    if (Y.getState(doc.store, client) !== clock) {
      continues = false
      break
    }
  }
  let delta: Uint8Array | null = null
  const onUpdate = (u: Uint8Array) => {
    delta = delta ? Y.mergeUpdates([delta, u]) : u
  }
  files.observeDeep(observer)
  if (!continues) doc.on('update', onUpdate)
  try {
    Y.applyUpdate(doc, update)
  } catch (cause) {
    // Yjs's own message stays in the server log (see DomainError.cause), never in the answer.
    throw new DomainError('malformed_update', 'The update could not be applied', undefined, { cause })
  } finally {
    files.unobserveDeep(observer)
    doc.off('update', onUpdate)
  }
  if (continues) delta = update
  if (doc.store.pendingStructs || doc.store.pendingDs) {
    throw new DomainError('update_incomplete', 'Update depends on changes the server does not have; pull, then send your full diff')
  }
  for (const name of doc.share.keys()) {
    if (name !== FILES_MAP && name !== FOLDERS_MAP) throw new DomainError('invalid_update', `Unknown root type "${name}" in the project document`, { root: name })
  }
  for (const path of touched) {
    const value = files.get(path)
    if (value === undefined) continue // deleted
    const check = checkProjectPath(path)
    if (!check.ok) throw new DomainError('invalid_update', `Invalid path: ${check.message}`, { path, problem: check.problem })
    if (!(value instanceof Y.Text) && !(value instanceof Uint8Array)) {
      throw new DomainError('invalid_update', 'A file must be a Y.Text or a Uint8Array', { path })
    }
  }
  const folders = doc.share.has(FOLDERS_MAP) ? doc.getMap(FOLDERS_MAP) : undefined
  if (folders && folders.size > LIMITS.maxFiles) {
    throw new DomainError('invalid_update', `A project holds at most ${LIMITS.maxFiles} empty folders`, { folders: folders.size })
  }
  if (files.size > LIMITS.maxFiles) {
    throw new DomainError('invalid_update', `A project holds at most ${LIMITS.maxFiles} files`, { files: files.size })
  }
  return { delta, touched, asciiDelta, deletesOnly: verdict.structs === 0 }
}
