import type { CommandInfo, CommandRegistry, KeybindingRule } from '../../core/commands/index.ts'

/// The workbench's commands and their default keybindings, VS Code's where VS Code has them. Declared once at
/// startup (main.tsx), so the palette and the shortcuts reference know them all; each gets its behaviour from the
/// component that owns what it acts on (`useCommandHandler`), and does nothing where that component is not.
///
/// Context keys the `when` clauses read, and who keeps them:
/// - `editorFocus` (the code editor or one of its widgets: find, go to line), `editorTextFocus` (its text) — the
///   editor session, from Monaco's focus events;
/// - `terminalFocus` (a terminal), `terminalPanelFocus` (anywhere in the terminal panel, its tabs too) — TerminalPanel;
/// - `problemsFocus` — ProblemsPanel; `treeFocus` — the file tree; `searchViewFocus` — the search view;
/// - `inputFocus` (a text field), `isPhone`, `isMac` — the app;
/// - `dialogOpen` (a modal dialog), `dialogFocus` (focus in a dialog or popover), `inQuickOpen` (quick open or the
///   palette), `runFailureVisible` — the dialogs and popovers themselves;
/// - `openEditorCount` — the editor area;
/// - `aiPanelFocus` (focus in the assistant panel) — the panel; `aiTurnActive` (an answer streams or waits for an
///   approval), `aiStagedCount` (files with edits to review), `aiCanUndo` — the workbench, from the project's assistant.
export interface WorkbenchCommand extends CommandInfo {
  readonly keybindings?: ReadonlyArray<Omit<KeybindingRule, 'command'>>
}

/// Alt+letter and Alt+digit belong to whoever has focus there: readline in a terminal, Alt+C/W/R in the search view,
/// text fields.
const ALT_FREE = '!terminalFocus && !searchViewFocus && !inputFocus'

export const SHOW_COMMANDS = 'workbench.action.showCommands'
export const CLOSE_QUICK_OPEN = 'workbench.action.closeQuickOpen'
export const AI_OPEN = 'workbench.action.chat.open'

export const WORKBENCH_COMMANDS: readonly WorkbenchCommand[] = [
  {
    id: SHOW_COMMANDS,
    title: 'Show All Commands',
    keybindings: [
      { key: 'f1', when: '!dialogOpen' },
      { key: 'ctrl+shift+p', when: '!dialogOpen' },
    ],
  },
  // Whichever quick input is open (quick open, the palette) closes, so that another can take its place.
  { id: CLOSE_QUICK_OPEN, title: 'Close Quick Open', palette: false },
  { id: 'workbench.action.quickOpen', title: 'Go to File…', keybindings: [{ key: 'ctrl+p' }, { key: 'ctrl+e' }] },
  { id: 'workbench.action.openSettings', title: 'Open Settings', category: 'Preferences', keybindings: [{ key: 'ctrl+,', when: '!dialogOpen' }] },
  {
    id: 'workbench.action.openGlobalKeybindings',
    title: 'Open Keyboard Shortcuts',
    category: 'Preferences',
    // The code editor has Ctrl+K chords of its own, and a terminal's Ctrl+K is readline's.
    keybindings: [{ key: 'ctrl+k ctrl+s', when: '!editorFocus && !terminalFocus && !dialogOpen' }],
  },
  { id: 'workbench.action.toggleSidebarVisibility', title: 'Toggle Primary Side Bar Visibility', category: 'View', keybindings: [{ key: 'ctrl+b' }] },
  { id: 'workbench.view.explorer', title: 'Show Explorer', category: 'View' },
  // VS Code's Toggle Terminal: from the terminal panel back to the editor (the panel hides); from anywhere else the
  // panel shows the terminal and the terminal takes focus.
  { id: 'workbench.action.terminal.toggleTerminal', title: 'Toggle Terminal', category: 'View', keybindings: [{ key: 'ctrl+`' }] },
  { id: 'workbench.action.terminal.new', title: 'Create New Terminal', category: 'Terminal', keybindings: [{ key: 'ctrl+shift+`' }] },
  // The Problems panel, or back to the editor when its list has focus.
  { id: 'workbench.actions.view.problems', title: 'Toggle Problems', category: 'View', keybindings: [{ key: 'ctrl+shift+m' }] },
  { id: 'workbench.action.findInFiles', title: 'Find in Files', category: 'Search', keybindings: [{ key: 'ctrl+shift+f' }] },
  { id: 'workbench.action.replaceInFiles', title: 'Replace in Files', category: 'Search', keybindings: [{ key: 'ctrl+shift+h' }] },
  // ⌃⌥S on macOS too: ⌘⌥S is no key of ours there. AltGr+S typing a character is never this (see keys.ts).
  { id: 'slipway.share', title: 'Share…', keybindings: [{ key: 'ctrl+alt+s', mac: 'ctrl+alt+s', repeat: false }] },
  // VS Code's debug keys. A held F5 runs once.
  { id: 'slipway.run.start', title: 'Start (Restart When Running)', category: 'Run', keybindings: [{ key: 'f5', repeat: false }] },
  { id: 'slipway.run.stop', title: 'Stop', category: 'Run', keybindings: [{ key: 'shift+f5', repeat: false }] },
  { id: 'slipway.run.restart', title: 'Restart', category: 'Run', keybindings: [{ key: 'ctrl+shift+f5', repeat: false }] },
  { id: 'slipway.run.showOutput', title: 'Show Output', category: 'Run' },
  // Escape closes the run failure's popover from anywhere but a modal (which keeps its own Escape).
  {
    id: 'slipway.run.hideFailure',
    title: 'Close the Run Failure',
    category: 'Run',
    palette: false,
    keybindings: [{ key: 'escape', when: 'runFailureVisible && !dialogOpen && !inQuickOpen' }],
  },
  // Ctrl+Tab and Ctrl+PageDown where the browser lets the page see them, Ctrl+Alt+PageDown everywhere.
  {
    id: 'workbench.action.nextEditor',
    title: 'Open Next Editor',
    category: 'View',
    enablement: 'openEditorCount >= 1',
    keybindings: [{ key: 'ctrl+tab', mac: 'ctrl+tab' }, { key: 'ctrl+pagedown' }, { key: 'ctrl+alt+pagedown' }],
  },
  {
    id: 'workbench.action.previousEditor',
    title: 'Open Previous Editor',
    category: 'View',
    enablement: 'openEditorCount >= 1',
    keybindings: [{ key: 'ctrl+shift+tab', mac: 'ctrl+shift+tab' }, { key: 'ctrl+pageup' }, { key: 'ctrl+alt+pageup' }],
  },
  // Alt+W: Ctrl+W belongs to the browser.
  { id: 'workbench.action.closeActiveEditor', title: 'Close Editor', category: 'View', enablement: 'openEditorCount >= 1', keybindings: [{ key: 'alt+w', when: ALT_FREE }] },
  ...Array.from({ length: 8 }, (_, i) => ({
    id: `workbench.action.openEditorAtIndex${i + 1}`,
    title: `Open Editor at Index ${i + 1}`,
    category: 'View',
    palette: false,
    enablement: `openEditorCount >= ${i + 1}`,
    keybindings: [{ key: `alt+${i + 1}`, when: ALT_FREE }],
  })),
  { id: 'workbench.action.lastEditorInGroup', title: 'Open Last Editor', category: 'View', enablement: 'openEditorCount >= 1', keybindings: [{ key: 'alt+9', when: ALT_FREE }] },
  // Ctrl+G anywhere in the workbench (Monaco binds it only in the editor): the editor takes focus and opens its
  // go-to-line input, and the browser's find-next never fires. Ctrl+G on macOS too, as in VS Code (⌘G is find next
  // there). Inside the editor's own widgets (find, the quick input) it stays Monaco's; a terminal keeps readline's.
  {
    id: 'workbench.action.gotoLine',
    title: 'Go to Line/Column…',
    keybindings: [{ key: 'ctrl+g', mac: 'ctrl+g', when: '!terminalFocus && !dialogFocus && (editorTextFocus || !editorFocus)' }],
  },
  { id: 'workbench.action.focusActiveEditorGroup', title: 'Focus Active Editor', category: 'View' },
  // The assistant, with VS Code's chat ids and keys where it has them (Ctrl+Alt+I opens chat, ⌃⌘I on macOS).
  { id: AI_OPEN, title: 'Open Assistant', category: 'Assistant', keybindings: [{ key: 'ctrl+alt+i', mac: 'ctrl+cmd+i', repeat: false }] },
  { id: 'workbench.action.chat.newChat', title: 'New Conversation', category: 'Assistant', enablement: '!aiTurnActive', keybindings: [{ key: 'ctrl+l', when: 'aiPanelFocus' }] },
  // Escape in the panel: stops an answer; with none running, closes the panel (and the editor takes focus).
  { id: 'workbench.action.chat.cancel', title: 'Stop Answering', category: 'Assistant', enablement: 'aiTurnActive', keybindings: [{ key: 'escape', when: 'aiPanelFocus && !dialogOpen' }] },
  {
    id: 'slipway.ai.close',
    title: 'Close Assistant',
    category: 'Assistant',
    keybindings: [{ key: 'escape', when: 'aiPanelFocus && !aiTurnActive && !dialogOpen && !inQuickOpen && !runFailureVisible' }],
  },
  { id: 'slipway.ai.acceptAll', title: 'Accept All Edits', category: 'Assistant', enablement: 'aiStagedCount >= 1' },
  { id: 'slipway.ai.rejectAll', title: 'Reject All Edits', category: 'Assistant', enablement: 'aiStagedCount >= 1' },
  { id: 'slipway.ai.undoTurn', title: 'Undo Last Turn', category: 'Assistant', enablement: 'aiCanUndo && !aiTurnActive' },
]

/// Code editor actions the palette leaves out because a workbench command above does the same.
export const EDITOR_ACTIONS_COVERED: ReadonlySet<string> = new Set(['editor.action.gotoLine'])

/// Declares every workbench command and binds its keys. Returns the function that takes them back.
export function declareWorkbenchCommands(registry: CommandRegistry): () => void {
  const undo: Array<() => void> = []
  for (const { keybindings = [], ...info } of WORKBENCH_COMMANDS) {
    undo.push(registry.registerCommand(info))
    for (const k of keybindings) undo.push(registry.registerKeybinding({ ...k, command: info.id }))
  }
  return () => undo.reverse().forEach((u) => u())
}
