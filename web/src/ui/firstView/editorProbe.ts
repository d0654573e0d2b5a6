// What the Monaco chunk tells the first-view capture about the editor (Monaco itself stays out of the workbench
// chunk): one slot per open project, filled while an editor shows a file.

export interface EditorProbe {
  /// The file shown, or undefined when the editor shows none.
  path: string | undefined
  /// The editor's DOM node (Monaco's `.monaco-editor` host).
  dom: HTMLElement
  /// Monaco's saveViewState() of the file shown.
  viewState: unknown
  /// The line drawn at a point of the window (client pixels), if any.
  lineAt(x: number, y: number): number | undefined
  /// The cursor, in viewport pixels, when it is on screen.
  caret: { line: number; column: number; x: number; y: number; h: number } | undefined
  tabSize: number
  /// The font size the editor is set to (its lines may be drawn in another for a frame, during a change).
  fontSize: number
}

export interface EditorProbeSlot {
  read: (() => EditorProbe | undefined) | undefined
  /// Called by the editor when what it shows changed (scroll, edit, cursor, file).
  changed(): void
  onChange(listener: () => void): () => void
}

/// A slot for one open project's editor (the workbench's EditorControllerProvider makes one per session).
export function createEditorProbeSlot(): EditorProbeSlot {
  const listeners = new Set<() => void>()
  return {
    read: undefined,
    changed: () => listeners.forEach((l) => l()),
    onChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
