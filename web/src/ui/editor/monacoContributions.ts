// Monaco chunk only. The editor contributions Slipway ships, one side-effect import each (a contribution registers
// itself with every editor when imported). Monaco's own `features/<name>/register` entry points where one exists.
//
// Chosen against bench/bundle.mjs's budget (Monaco ≤ 850 KB gzip, measured with everything below: ~839 KB when the
// list was made, 824 KB since vite.config.ts `monacoTrim` drops the GPU renderer and the tree-sitter backend). The gzip
// cost each adds on top of the rest, measured when this list was made, for whoever weighs the next one:
//   gotoLine (Ctrl+G, 2.1) came in later, for issue 16 item 7.
//   left out: dnd (drag a selection, 1.1), smartSelect (1.5), linkedEditing (1.6),
//   indentation commands (2.9), quickCommand (Monaco's F1 palette, 4.9: the workbench's own palette lists the
//   editor's actions instead, ui/commands), documentSymbols + quickOutline (4.9), and everything
//   in features/register.all not named here (inline completions, sticky scroll, color picker, code lens, inlay
//   hints, GPU, font zoom…).
//   Ctrl+P, Ctrl+Shift+F and the command shortcuts around the editor are Slipway's own (QuickOpen, SearchPanel).

// Icons and the code editor widget itself.
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/codeEditor/register'

// Editing: clipboard, Ctrl+/ comments, Shift+Alt+F format, multi-cursor, snippets, word-wise moves and deletes
// (Ctrl+←/→, Ctrl+Backspace), line moves and copies (Alt+↑/↓, Shift+Alt+↓, Ctrl+Shift+K), cursor undo (Ctrl+U),
// expand line selection (Ctrl+L), Ctrl+M to let Tab leave the editor.
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/comment/register'
import 'monaco-editor/features/format/register'
import 'monaco-editor/features/multicursor/register'
import 'monaco-editor/features/snippet/register'
import 'monaco-editor/features/wordOperations/register'
import 'monaco-editor/features/wordPartOperations/register'
import 'monaco-editor/features/linesOperations/register'
import 'monaco-editor/features/cursorUndo/register'
import 'monaco-editor/features/lineSelection/register'
import 'monaco-editor/features/toggleTabFocusMode/register'

// Reading and navigating: find/replace (Ctrl+F, Ctrl+H), folding, bracket matching, occurrences, Ctrl+click links,
// go to definition and peek (F12, Alt+F12, Shift+F12), next problem (F8), the context menu, go to line (Ctrl+G, VS
// Code's `:` quick input: it previews the line while typing and Escape puts the cursor back; MonacoPane also opens
// it when focus is elsewhere in the workbench).
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/folding/register'
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/wordHighlighter/register'
import 'monaco-editor/features/links/register'
import 'monaco-editor/features/gotoSymbol/register'
import 'monaco-editor/features/gotoLine/register'
import 'monaco-editor/features/referenceSearch/register'
import 'monaco-editor/features/gotoError/register'
import 'monaco-editor/features/contextmenu/register'
// A read-only editor (a shared version) answers typing with its `readOnlyMessage` ("Read-only: Fork to edit").
import 'monaco-editor/editor/contrib/readOnlyMessage/browser/contribution'

// Language features: hover, completion, signature help, rename (F2), quick fixes and the light bulb (Ctrl+.).
// The suggest widget has no `features/` entry of its own: upstream reaches its controller only through the inline
// completions contribution, so it is imported directly.
import 'monaco-editor/features/hover/register'
import 'monaco-editor/editor/contrib/suggest/browser/suggestController'
import 'monaco-editor/features/parameterHints/register'
import 'monaco-editor/features/rename/register'
import 'monaco-editor/features/codeAction/register'
