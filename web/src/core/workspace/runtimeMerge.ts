import { textSplice, type Splice } from './textDiff.ts'

/// What the doc takes from a file a program changed in the runtime (a formatter, a codegen, `npm init`):
/// - `none`: nothing; the runtime holds what the bridge last saw there (its own write coming back), or what the doc
///   holds already (the same change made on both sides);
/// - `apply`: this splice, on the doc's current text: the program's change, moved past the doc's own unwritten one;
/// - `conflict`: the program and the doc changed the same or touching places; the doc keeps its text (a person's
///   keystrokes are never dropped) and the caller says so.
export type RuntimeMerge = { kind: 'none' } | { kind: 'apply'; splice: Splice } | { kind: 'conflict' }

/// Merges a program's change into the doc. `base` is the text the bridge last wrote into the runtime or read from it
/// (undefined when there is none: the file was made on both sides, and only an identical one is no conflict), `disk`
/// what the runtime holds now, `doc` the doc's text now. The program's change is `base → disk`, taken relative to
/// `base`, never to `doc`: diffing `doc` against `disk` would undo whatever the doc gained since `base`, or import as
/// new what it already has. Each side's change is one splice (textDiff.ts), so two edits far apart on the same side
/// count as one wide change.
export function mergeRuntimeChange(base: string | undefined, disk: string, doc: string): RuntimeMerge {
  if (disk === base || disk === doc) return NONE
  if (base === undefined) return CONFLICT
  const program = textSplice(base, disk)!
  const local = textSplice(base, doc)
  if (!local) return { kind: 'apply', splice: program }
  // At least one character neither side touched must lie between the two changes. Touching changes are as likely
  // one edit as two: a formatter rewriting "y()}" next to a ";" just typed, or two insertions at one point.
  if (program.index + program.remove < local.index) return { kind: 'apply', splice: program }
  if (local.index + local.remove < program.index) {
    return { kind: 'apply', splice: { ...program, index: program.index + local.insert.length - local.remove } }
  }
  return CONFLICT
}

const NONE: RuntimeMerge = { kind: 'none' }
const CONFLICT: RuntimeMerge = { kind: 'conflict' }
