import { useEffect, useRef, useState } from 'react'
import type { AiSession, StagedView } from '../../core/ai/index.ts'
import type { ColorScheme } from '../../core/appearance/appearance.ts'
import { lineStat } from './aiView.ts'
import type { ReviewDiff } from './reviewDiffEditor.ts'

const KIND: Record<StagedView['kind'], string> = { edit: 'Edited', create: 'New file', delete: 'Deleted' }

/// The edits waiting for review: one row per file with its diff stat, its diff (Monaco's diff editor) on demand,
/// Accept and Reject; Accept all and Reject all. A file that changed since the edit was proposed says why it no
/// longer applies.
export function Review({ ai, staged, theme }: { ai: AiSession; staged: readonly StagedView[]; theme: ColorScheme }) {
  // The file whose diff shows; undefined: the only file's, if there is one; null: none (the person closed it).
  const [chosen, setChosen] = useState<string | null | undefined>(undefined)
  const open = chosen === undefined ? (staged.length === 1 ? staged[0]!.path : undefined) : chosen
  const [accepting, setAccepting] = useState(false)
  if (!staged.length) return null
  const acceptAll = async () => {
    if (accepting) return
    setAccepting(true)
    try {
      await ai.acceptAll()
    } finally {
      setAccepting(false)
    }
  }
  return (
    <section className="ai-review" aria-labelledby="ai-review-title" data-testid="ai.review">
      <div className="ai-review-head">
        <h3 id="ai-review-title" className="ai-review-title">
          {staged.length} file{staged.length === 1 ? '' : 's'} to review
        </h3>
        <button type="button" className="btn btn-small" onClick={() => ai.rejectAll()} data-testid="ai.reject-all" disabled={accepting}>
          Reject all
        </button>
        <button type="button" className="btn btn-primary btn-small" onClick={() => void acceptAll()} data-testid="ai.accept-all" aria-disabled={accepting} aria-busy={accepting}>
          Accept all
        </button>
      </div>
      <ul className="ai-review-files">
        {staged.map((f) => (
          <ReviewFile key={f.path} ai={ai} file={f} theme={theme} open={open === f.path} onToggle={() => setChosen(open === f.path ? null : f.path)} />
        ))}
      </ul>
    </section>
  )
}

function ReviewFile({ ai, file, theme, open, onToggle }: { ai: AiSession; file: StagedView; theme: ColorScheme; open: boolean; onToggle: () => void }) {
  const diff = ai.diff(file.path)
  const stat = diff ? lineStat(diff.original, diff.proposed) : undefined
  const id = `ai-diff-${file.path.replace(/[^A-Za-z0-9_-]/g, '_')}`
  return (
    <li className="ai-review-file" data-testid="ai.review-file" data-path={file.path}>
      <div className="ai-review-row">
        <button type="button" className="ai-review-toggle" aria-expanded={open} aria-controls={id} onClick={onToggle} data-testid="ai.review-toggle">
          <span className="ai-review-chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          <span className="ai-review-path">{file.path}</span>
          <span className="ai-review-kind">{KIND[file.kind]}</span>
          {stat && (
            <span className="ai-stat" aria-label={`${stat.added} lines added, ${stat.removed} removed`}>
              <span className="ai-stat-add">+{stat.added}</span> <span className="ai-stat-del">−{stat.removed}</span>
            </span>
          )}
        </button>
        <button type="button" className="btn btn-small" onClick={() => ai.reject(file.path)} data-testid="ai.reject" aria-label={`Reject the change to ${file.path}`}>
          Reject
        </button>
        <button type="button" className="btn btn-small" onClick={() => void ai.accept(file.path)} data-testid="ai.accept" aria-label={`Accept the change to ${file.path}`}>
          Accept
        </button>
      </div>
      {diff?.conflict && (
        <p className="ai-error" role="status">
          {file.path} changed since the edit was proposed: {diff.conflict}. Accepting it is refused; reject it or ask again.
        </p>
      )}
      {open && diff && (
        <div id={id} className="ai-diff">
          <DiffView path={file.path} original={diff.original} proposed={diff.proposed} theme={theme} />
        </div>
      )}
    </li>
  )
}

/// Monaco's diff editor (its own lazy chunk, see reviewDiffEditor.ts).
function DiffView({ path, original, proposed, theme }: { path: string; original: string | undefined; proposed: string | undefined; theme: ColorScheme }) {
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<ReviewDiff>()
  const [failed, setFailed] = useState<string>()
  // The scheme when the chunk arrives, not when it was asked for: Monaco's theme is global, and creating the diff in
  // a scheme the page has left since would switch every editor back to it until the effect below ran.
  const themeNow = useRef(theme)
  themeNow.current = theme
  useEffect(() => {
    let disposed = false
    let created: ReviewDiff | undefined
    import('../editor/MonacoPane.tsx')
      .then((m) => m.loadReviewDiff())
      .then(
      ({ createReviewDiff }) => {
        if (disposed || !host.current) return
        created = createReviewDiff(host.current, themeNow.current)
        setEditor(created)
      },
      (err: unknown) => setFailed(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      disposed = true
      created?.dispose()
    }
    // Made once; the theme follows below.
  }, [])
  useEffect(() => editor?.setTheme(theme), [editor, theme])
  useEffect(() => editor?.show(path, original, proposed), [editor, path, original, proposed])
  return (
    <div className="ai-diff-frame" data-testid="ai.diff" data-ready={editor ? 'true' : undefined}>
      {/* Monaco's own: React puts nothing in it. */}
      <div className="ai-diff-host" ref={host} />
      {!editor && !failed && (
        <p className="ai-muted ai-diff-loading" role="status">
          <span className="spinner small" aria-hidden="true" /> Loading the diff…
        </p>
      )}
      {failed && <p className="ai-error">The diff could not be shown: {failed}</p>}
    </div>
  )
}
