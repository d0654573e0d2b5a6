// Monaco internals the review's diff editor uses (reviewDiffEditor.ts), typed by hand: monaco-editor ships no
// declarations under editor/* or platform/*. Only what is used.
declare module 'monaco-editor/platform/instantiation/common/instantiation' {
  export interface Instantiation {
    createInstance<T>(ctor: new (...args: never[]) => T, ...args: unknown[]): T
    createChild(services: import('monaco-editor/platform/instantiation/common/serviceCollection').ServiceCollection): Instantiation & { dispose(): void }
  }
  export const IInstantiationService: { readonly __serviceBrand?: Instantiation }
}

declare module 'monaco-editor/platform/instantiation/common/serviceCollection' {
  export class ServiceCollection {
    constructor(...entries: Array<[unknown, unknown]>)
  }
}

declare module 'monaco-editor/platform/instantiation/common/descriptors' {
  export class SyncDescriptor<T> {
    constructor(ctor: new (...args: never[]) => T)
  }
}

declare module 'monaco-editor/editor/browser/widget/diffEditor/diffProviderFactoryService' {
  export const IDiffProviderFactoryService: object
  export class WorkerBasedDiffProviderFactoryService {}
}

declare module 'monaco-editor/editor/standalone/browser/standaloneCodeEditor' {
  export class StandaloneCodeEditor {}
}

// The real widget: the `?slipway-diff` id is the one vite.config.ts's `monacoTrim` leaves whole.
declare module 'monaco-editor/editor/browser/widget/diffEditor/diffEditorWidget?slipway-diff' {
  import type { editor } from 'monaco-editor/editor'
  import type { Instantiation } from 'monaco-editor/platform/instantiation/common/instantiation'
  export class DiffEditorWidget {
    constructor(host: HTMLElement, options: editor.IDiffEditorConstructionOptions, codeEditorWidgetOptions: object, ...services: never[])
    protected _createInnerEditor(instantiation: Instantiation, container: HTMLElement, options: { ariaLabel?: string }): unknown
    setModel(model: editor.IDiffEditorModel | null): void
    onDidUpdateDiff(listener: () => void): { dispose(): void }
    revealFirstDiff(): void
    getDiffComputationResult(): object | null
    layout(): void
    dispose(): void
  }
}
