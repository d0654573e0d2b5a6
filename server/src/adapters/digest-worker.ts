import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { digestInline } from '../domain/project-doc.ts'
import type { DigestFiles, FileContent, FileDigest } from '../ports.ts'

/// Below this many bytes a batch is hashed on the calling thread: handing it over would cost more than hashing it.
const INLINE_BELOW_BYTES = 64 * 1024

/// The worker hashes byte ranges of a shared buffer: `{ id, bytes: SharedArrayBuffer, ranges: [offset, length][] }`.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
parentPort.on('message', ({ id, bytes, ranges }) => {
  try {
    const hashes = ranges.map(([offset, length]) => createHash('sha256').update(new Uint8Array(bytes, offset, length)).digest('hex'))
    parentPort.postMessage({ id, hashes })
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
`

const encoder = new TextEncoder()

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

/// Writes a file's bytes at the start of `into` and answers how many: texts as UTF-8 with lone surrogates as U+FFFD,
/// exactly the bytes `digestContent` hashes (a high surrogate that ends a piece is encoded with the next piece, so a
/// pair split between two pieces comes out as the joined string's). `into` has room for 3 bytes per UTF-16 unit.
function encodeFile(content: FileContent['content'], into: Uint8Array): number {
  if (content instanceof Uint8Array) {
    into.set(content)
    return content.byteLength
  }
  let written = 0
  let carry = ''
  for (const piece of typeof content === 'string' ? [content] : content) {
    let chunk = carry + piece
    carry = ''
    if (isHighSurrogate(chunk.charCodeAt(chunk.length - 1))) {
      carry = chunk.slice(-1)
      chunk = chunk.slice(0, -1)
    }
    written += encoder.encodeInto(chunk, into.subarray(written)).written
  }
  if (carry) written += encoder.encodeInto(carry, into.subarray(written)).written
  return written
}

const bound = (content: FileContent['content']): number => {
  if (content instanceof Uint8Array) return content.byteLength
  if (typeof content === 'string') return content.length * 3
  let units = 0
  for (const piece of content) units += piece.length
  // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
  return units * 3
}

/// Hashes large batches of files on a worker thread and this one at once, so a sync's SHA-256s (whole files,
/// every time they change) take half the time they would on one thread. The files go over as bytes in a SharedArrayBuffer: encoding a text's pieces into it
/// costs the event loop a fraction of hashing them (posting the strings instead clones them, which costs as much as
/// hashing). Buffers are reused. The thread starts on first use and stops after `idleMs` unused.
export function workerDigester(idleMs = 10_000): DigestFiles {
  let worker: Worker | undefined
  let idleTimer: NodeJS.Timeout | undefined
  let nextId = 0
  const pending = new Map<number, { resolve: (hashes: string[]) => void; reject: (e: Error) => void }>()
  /// Shared buffers no digest is using.
  const free: SharedArrayBuffer[] = []

  const stop = () => {
    const w = worker
    worker = undefined
    free.length = 0
    void w?.terminate()
  }
  const start = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true })
    w.unref()
    w.on('message', (m: { id: number; hashes?: string[]; error?: string }) => {
      const p = pending.get(m.id)
      pending.delete(m.id)
      if (m.error !== undefined) p?.reject(new Error(`digest failed: ${m.error}`))
      else p?.resolve(m.hashes!)
    })
    const fail = (err: Error) => {
      if (worker === w) worker = undefined
      for (const p of pending.values()) p.reject(err)
      pending.clear()
    }
    w.on('error', fail)
    w.on('exit', (code) => fail(new Error(`digest worker exited (${code})`)))
    return w
  }

  const acquire = (size: number): SharedArrayBuffer => {
    const i = free.findIndex((b) => b.byteLength >= size)
    if (i >= 0) return free.splice(i, 1)[0]!
    return new SharedArrayBuffer(Math.max(1 << 20, 2 ** Math.ceil(Math.log2(size))))
  }

  const digest = async (files: FileContent[]): Promise<FileDigest[]> => {
    let size = 0
    for (const f of files) size += bound(f.content)
    if (size < INLINE_BELOW_BYTES) return digestInline(files)
    const bytes = acquire(size)
    const view = new Uint8Array(bytes)
    const ranges: Array<[number, number]> = []
    let offset = 0
    for (const f of files) {
      const length = encodeFile(f.content, view.subarray(offset))
      ranges.push([offset, length])
      offset += length
    }
    // The worker takes the first files, about half the bytes; this thread hashes the rest meanwhile (it would
    // only wait otherwise).
    let split = 1
    for (let half = ranges[0]![1]; split < ranges.length && half + ranges[split]![1] <= offset / 2; split++) half += ranges[split]![1]
    worker ??= start()
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => pending.size === 0 && stop(), idleMs)
    idleTimer.unref()
    const id = nextId++
    try {
      const posted = new Promise<string[]>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        worker!.postMessage({ id, bytes, ranges: ranges.slice(0, split) })
      })
      const here = ranges.slice(split).map(([at, length]) => createHash('sha256').update(view.subarray(at, at + length)).digest('hex'))
      const hashes = [...(await posted), ...here]
      return files.map((f, i) => ({ path: f.path, size: ranges[i]![1], sha256: hashes[i]! }))
    } finally {
      // Only once the worker has answered (or is gone) is nobody reading it.
      if (free.length < 4) free.push(bytes)
    }
  }
  return digest
}
