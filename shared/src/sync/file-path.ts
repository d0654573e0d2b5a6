/// The parts of a Yjs shared type `filePathOf` reads. They are Yjs internals (`_item` is the item that holds a type
/// in its parent, `null` for a root type; the item's `parent` is that parent type and `parentSub` its key when the
/// parent is a map), so every package using this helper pins yjs to an exact version, and
/// `file-path.test.ts` fails loudly when a new version changes them.
export interface YTypeShape {
  _item: { parent: unknown; parentSub: string | null } | null
}

/// The path of the file a change to `type` belongs to: the key in the project doc's files map (`FILES_MAP`) of the
/// value that holds `type`, walking up from a nested type to it. `undefined` for the files map itself and for a type
/// that is not inside it. Takes Yjs types structurally, so `shared` needs no Yjs.
export function filePathOf(type: YTypeShape, files: unknown): string | undefined {
  let item = type._item
  while (item && item.parent !== files) item = (item.parent as Partial<YTypeShape> | null)?._item ?? null
  return item?.parentSub ?? undefined
}
