/// Pure: turns a Y.Text change (a Yjs delta) into non-overlapping replace edits in the coordinates of the text
/// before the change — the form Monaco's `model.applyEdits` takes in one atomic call.

export interface DeltaOp {
  retain?: number
  insert?: string | object
  delete?: number
}

export interface OffsetEdit {
  /// Start and end in the old text.
  from: number
  to: number
  text: string
  /// Where the edit's text ends in the new text (for placing the cursor after an undo).
  newEnd: number
}

export function deltaToEdits(delta: readonly DeltaOp[]): OffsetEdit[] {
  const edits: OffsetEdit[] = []
  let index = 0
  // A delete and an insert at the same place become one replace.
  const at = (from: number): OffsetEdit => {
    const last = edits[edits.length - 1]
    if (last && last.to === from) return last
    const edit = { from, to: from, text: '', newEnd: 0 }
    edits.push(edit)
    return edit
  }
  for (const op of delta) {
    if (op.retain !== undefined) index += op.retain
    else if (op.delete !== undefined) {
      at(index).to += op.delete
      index += op.delete
    } else if (op.insert !== undefined) {
      // Embeds never appear in file texts; Yjs counts one as a single character.
      at(index).text += typeof op.insert === 'string' ? op.insert : '\uFFFC'
    }
  }
  let shift = 0
  for (const e of edits) {
    e.newEnd = e.from + shift + e.text.length
    shift += e.text.length - (e.to - e.from)
  }
  return edits
}

/// Applies edits (old-text coordinates) to a string; the reference the binding's tests check Monaco against.
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  let out = text
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to)
  return out
}
