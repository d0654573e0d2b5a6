import { join } from 'node:path'

/// Which working folder each connection of a project gets (issue 16). Every IDE client that opens a project writes
/// its doc into the folder and imports whatever programs write there, under its own Yjs client id; two clients on one
/// folder each import the other's writes as their own edit before sync brings the original, and an edit then
/// multiplies. So a folder has one connection at a time, as every WebContainer tab has a file system of its own:
/// - the first connection to open project P gets `projects/P`, which keeps its node_modules across sessions;
/// - a connection opening P while others hold it gets `projects/P~2`, `P~3`, … (the lowest one free). These are kept
///   when released, like `projects/P`, so the next concurrent connection finds its node_modules there too;
/// - a folder is free once its connection closed and everything it started has ended (`FolderLease.release`). A
///   connection asking while a folder is being released waits for it rather than taking a fresh one, so a reload
///   gets its folder back instead of a new one to npm install into.
/// Project names never contain `~` (shared's `open` schema), so the extra folders cannot be another project's.
export class ProjectFolders {
  /// Per project, the slots taken: 1 is `projects/P`, n > 1 is `projects/P~n`. A slot whose connection closed maps
  /// to the promise of its release until everything it started has ended.
  private readonly taken = new Map<string, Map<number, Promise<void> | 'held'>>()

  constructor(private readonly dataDir: string) {}

  /// The folder for a new connection to `project`; resolves at once unless the lowest slot free is being released.
  async acquire(project: string): Promise<FolderLease> {
    for (;;) {
      const slots = this.taken.get(project) ?? new Map<number, Promise<void> | 'held'>()
      this.taken.set(project, slots)
      const slot = lowestNotHeld(slots)
      const releasing = slots.get(slot)
      if (releasing !== undefined && releasing !== 'held') {
        await releasing
        continue
      }
      slots.set(slot, 'held')
      return this.lease(project, slot, slots)
    }
  }

  private lease(project: string, slot: number, slots: Map<number, Promise<void> | 'held'>): FolderLease {
    let released = false
    return {
      project,
      slot,
      path: join(this.dataDir, 'projects', folderName(project, slot)),
      release: (ended = Promise.resolve()) => {
        if (released) return
        released = true
        const done = ended.catch(() => {}).then(() => {
          if (slots.get(slot) !== done) return
          slots.delete(slot)
          if (slots.size === 0 && this.taken.get(project) === slots) this.taken.delete(project)
        })
        slots.set(slot, done)
      },
    }
  }
}

export interface FolderLease {
  readonly project: string
  /// 1 for the project's own folder, 2 and up for the folders of concurrent connections.
  readonly slot: number
  /// Absolute; may not exist yet.
  readonly path: string
  /// Frees the folder once `ended` settles (what the connection started has ended); idempotent.
  release(ended?: Promise<unknown>): void
}

/// `P` for slot 1, `P~n` for the others.
export function folderName(project: string, slot: number): string {
  if (!Number.isInteger(slot) || slot < 1) throw new RangeError(`folder slot must be an integer from 1 (got ${slot})`)
  return slot === 1 ? project : `${project}~${slot}`
}

function lowestNotHeld(slots: ReadonlyMap<number, unknown>): number {
  let slot = 1
  while (slots.get(slot) === 'held') slot++
  return slot
}
