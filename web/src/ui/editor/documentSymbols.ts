// Monaco chunk only. The symbols of a model as Monaco's outline sees them: from the document symbol providers of its
// language (the TypeScript worker for TS/JS; the CSS, JSON and HTML services for theirs), flattened in document order.
import { ILanguageFeaturesService } from 'monaco-editor/editor/common/services/languageFeatures'
import { StandaloneServices } from 'monaco-editor/editor/standalone/browser/standaloneServices'
import type { DocumentSymbolItem } from '../../core/editor/EditorController.ts'
import { monaco } from './monaco.ts'

/// Asks the first provider that answers (as Monaco's own outline does). An empty list when none is registered.
export async function documentSymbols(model: monaco.editor.ITextModel): Promise<DocumentSymbolItem[]> {
  const providers = StandaloneServices.get(ILanguageFeaturesService).documentSymbolProvider.ordered(model)
  const source = new monaco.CancellationTokenSource()
  try {
    for (const provider of providers) {
      const symbols = await provider.provideDocumentSymbols(model, source.token)
      if (symbols?.length) return flatten(symbols)
    }
    return []
  } finally {
    source.dispose()
  }
}

function flatten(symbols: readonly monaco.languages.DocumentSymbol[], container?: string, out: DocumentSymbolItem[] = []): DocumentSymbolItem[] {
  const ordered = [...symbols].sort((a, b) => a.range.startLineNumber - b.range.startLineNumber || a.range.startColumn - b.range.startColumn)
  for (const s of ordered) {
    out.push({
      name: s.name,
      kind: kindName(s.kind),
      ...(container ? { container } : {}),
      line: s.selectionRange.startLineNumber,
      column: s.selectionRange.startColumn,
    })
    if (s.children?.length) flatten(s.children, s.name, out)
  }
  return out
}

/// `SymbolKind.EnumMember` → "enum-member", the codicon's suffix (codicon-symbol-enum-member).
function kindName(kind: monaco.languages.SymbolKind): string {
  return (monaco.languages.SymbolKind[kind] ?? 'Misc').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()
}
