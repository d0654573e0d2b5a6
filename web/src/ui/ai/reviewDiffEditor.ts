// Monaco chunk, loaded only when a review shows a diff. The diff editor: Monaco's own DiffEditorWidget, which the
// web build leaves out of the standalone API (vite.config.ts `monacoTrim`: the editor chunk ships a stub, so opening
// a file never downloads it) and imports here under its `?slipway-diff` id, so this lazy chunk gets the real widget.
// A pinned contract (STYLE.md habit 19): the widget's constructor takes its services by decorator, and its diff
// provider service registers itself when this chunk loads, after the standalone services were set up, so it is given
// to the widget here. ai.spec's review fails loudly if that shape changes.
import { DiffEditorWidget } from 'monaco-editor/editor/browser/widget/diffEditor/diffEditorWidget?slipway-diff'
import { IDiffProviderFactoryService, WorkerBasedDiffProviderFactoryService } from 'monaco-editor/editor/browser/widget/diffEditor/diffProviderFactoryService'
import { StandaloneCodeEditor } from 'monaco-editor/editor/standalone/browser/standaloneCodeEditor'
import { StandaloneServices } from 'monaco-editor/editor/standalone/browser/standaloneServices'
import { SyncDescriptor } from 'monaco-editor/platform/instantiation/common/descriptors'
import { IInstantiationService } from 'monaco-editor/platform/instantiation/common/instantiation'
import type { Instantiation } from 'monaco-editor/platform/instantiation/common/instantiation'
import { ServiceCollection } from 'monaco-editor/platform/instantiation/common/serviceCollection'
import type { ColorScheme } from '../../core/appearance/appearance.ts'
import { languageForPath } from '../editor/languages.ts'
import { EDITOR_OPTIONS, installMonacoEnvironment, monaco, themeFor } from '../editor/monaco.ts'

type InnerEditor = { updateOptions(options: { ariaLabel?: string }): void }

/// The inner editors are standalone editors, as in `monaco.editor.createDiffEditor`. Each keeps the accessible name
/// it was made with: Monaco 0.57 resets it to "" whenever the diff switches between side by side and inline
/// (DiffEditorEditors passes an ariaLabel only when the options that changed carry one), which leaves screen readers
/// (and axe) an unnamed text field.
class ReviewDiffEditorWidget extends DiffEditorWidget {
  protected override _createInnerEditor(instantiation: Instantiation, container: HTMLElement, options: { ariaLabel?: string }): unknown {
    const editor = instantiation.createInstance(StandaloneCodeEditor, container, options) as unknown as InnerEditor
    const label = options.ariaLabel
    const update = editor.updateOptions.bind(editor)
    editor.updateOptions = (next) => update(next.ariaLabel || !label ? next : { ...next, ariaLabel: label })
    return editor
  }
}

/// Monaco's internal `ITextModel.tokenization.forceTokenization` (not in the public API; ai.spec's dark review checks
/// the colours it leads to with axe, so a change of shape shows there).
function retokenize(model: monaco.editor.ITextModel): void {
  const tokenization = (model as unknown as { tokenization?: { forceTokenization?(lineNumber: number): void } }).tokenization
  tokenization?.forceTokenization?.(model.getLineCount())
}

export interface ReviewDiff {
  /// Shows `original` → `proposed` (undefined: no such file) of `path`.
  show(path: string, original: string | undefined, proposed: string | undefined): void
  setTheme(theme: ColorScheme): void
  layout(): void
  dispose(): void
}

/// A read-only diff editor in `host`: side by side where there is room, inline where there is not (phones).
export function createReviewDiff(host: HTMLElement, theme: ColorScheme): ReviewDiff {
  installMonacoEnvironment()
  monaco.editor.setTheme(themeFor(theme))
  const parent = StandaloneServices.get(IInstantiationService)
  const services = parent.createChild(new ServiceCollection([IDiffProviderFactoryService, new SyncDescriptor(WorkerBasedDiffProviderFactoryService)]))
  const widget = services.createInstance(
    ReviewDiffEditorWidget,
    host,
    {
      ...EDITOR_OPTIONS,
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderMarginRevertIcon: false,
      renderOverviewRuler: false,
      useInlineViewWhenSpaceIsLimited: true,
      renderSideBySideInlineBreakpoint: 560,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 4, revealLineCount: 10 },
      scrollBeyondLastLine: false,
      // A change at the end of a long line shows without scrolling sideways.
      wordWrap: 'on',
      diffWordWrap: 'on',
      minimap: { enabled: false },
      lineNumbersMinChars: 3,
      fontSize: 12,
      originalAriaLabel: 'The file as it is, read-only',
      modifiedAriaLabel: 'The file with the proposed change, read-only',
    },
    {},
  ) as InstanceType<typeof ReviewDiffEditorWidget>
  let models: { original: monaco.editor.ITextModel; modified: monaco.editor.ITextModel } | undefined
  return {
    show(path, original, proposed) {
      const language = languageForPath(path)
      // The same models while the file stays the same: a computation running on them is never left without its models.
      if (models && models.original.getLanguageId() === language) {
        if (models.original.getValue() !== (original ?? '')) models.original.setValue(original ?? '')
        if (models.modified.getValue() !== (proposed ?? '')) models.modified.setValue(proposed ?? '')
        return
      }
      const previous = models
      models = { original: monaco.editor.createModel(original ?? '', language), modified: monaco.editor.createModel(proposed ?? '', language) }
      widget.setModel(models)
      // The first change in view, once the diff is computed (in the editor worker).
      const first = widget.onDidUpdateDiff(() => {
        if (!widget.getDiffComputationResult()) return
        first.dispose()
        widget.revealFirstDiff()
      })
      previous?.original.dispose()
      previous?.modified.dispose()
    },
    setTheme(t) {
      monaco.editor.setTheme(themeFor(t))
      // A new scheme has a new colour map: the models' token classes index the old one until their tokens are
      // computed again, which Monaco does in idle time. On a busy machine the dark diff kept light-map classes for
      // seconds (a string as .mtk20, #ff0000 in vs-dark's map: axe color-contrast in ai.spec). The review's files
      // are small: tokenize them now, so the next frame paints them in the new scheme.
      if (models) for (const model of [models.original, models.modified]) retokenize(model)
      // The removed lines the diff draws in view zones (inline, and the deleted text beside an insert) are rendered
      // once, with the tokens of the moment: ai.spec's dark axe check still found light-map classes there. Showing
      // the same models again draws them afresh (the diff is recomputed: the files are small).
      if (models) {
        widget.setModel(null)
        widget.setModel(models)
      }
    },
    layout() {
      widget.layout()
    },
    dispose() {
      widget.dispose()
      models?.original.dispose()
      models?.modified.dispose()
      services.dispose()
    },
  }
}
