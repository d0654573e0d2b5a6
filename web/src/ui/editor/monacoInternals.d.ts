// Monaco internals Slipway reads, typed by hand: monaco-editor ships no declarations under editor/*. A pinned contract
// (STYLE.md habit 19): navigation.spec's `@symbol` test and palette.spec's editor actions fail loudly if their shape
// changes. Only what is used.
declare module 'monaco-editor/editor/standalone/browser/standaloneServices' {
  export const StandaloneServices: { get<T>(id: { readonly __serviceBrand?: T } & object): T }
}

declare module 'monaco-editor/editor/common/services/languageFeatures' {
  import type { editor, languages, CancellationToken } from 'monaco-editor/editor'
  export interface LanguageFeaturesService {
    readonly documentSymbolProvider: {
      ordered(model: editor.ITextModel): Array<{
        provideDocumentSymbols(model: editor.ITextModel, token: CancellationToken): languages.ProviderResult<languages.DocumentSymbol[]>
      }>
    }
  }
  export const ILanguageFeaturesService: { readonly __serviceBrand?: LanguageFeaturesService }
}

declare module 'monaco-editor/platform/keybinding/common/keybinding' {
  export interface KeybindingService {
    /// The keys bound to a command, as Monaco shows them (`Ctrl+F`); null when none.
    lookupKeybinding(commandId: string): { getLabel(): string | null } | undefined
  }
  export const IKeybindingService: { readonly __serviceBrand?: KeybindingService }
}

// The worker entries monaco.worker.ts loads by label: imported for what they do when they evaluate (each sets
// `self.onmessage` to start its service), not for exports.
declare module 'monaco-editor/editor/editor.worker' {}
declare module 'monaco-editor/languages/features/typescript/ts.worker' {}
declare module 'monaco-editor/languages/features/json/json.worker' {}
declare module 'monaco-editor/languages/features/css/css.worker' {}
declare module 'monaco-editor/languages/features/html/html.worker' {}
