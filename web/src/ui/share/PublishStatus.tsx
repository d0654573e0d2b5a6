import type { ProjectShares, PublishState } from '../../core/shares/ProjectShares.ts'
import { secretKindLabel } from '../../core/shares/shareView.ts'

/// Where a publish is, in sentences: progress, the stale-edits choice, the files holding secrets, or what failed.
export function PublishStatus({ shares, state, onOpenFile }: { shares: ProjectShares; state: PublishState; onOpenFile: (path: string, line: number) => void }) {
  switch (state.phase) {
    case 'idle':
    case 'published':
      return null
    case 'syncing':
    case 'publishing':
      return (
        <p className="share-note" role="status" data-testid="share.progress">
          <span className="spinner" aria-hidden="true" /> {state.phase === 'syncing' ? 'Sending your latest edits to the server…' : 'Publishing the version…'}
        </p>
      )
    case 'waiting':
      return (
        <div className="share-note" role="status" data-testid="share.waiting">
          <p>
            <span className="spinner" aria-hidden="true" /> Waiting for your edits to reach the server. The version is published as soon as they do.
          </p>
          <button className="btn btn-small" onClick={() => shares.reset()} autoFocus data-testid="share.cancel-wait">
            Cancel
          </button>
        </div>
      )
    case 'stale':
      return (
        <div className="share-note share-warn" role="alert" data-testid="share.stale">
          <p>
            <strong>Your latest edits haven't reached the server yet — this version would be older than your editor.</strong> Wait, and it is
            published once they are synced; or publish what the server has now.
          </p>
          <div className="share-actions">
            <button className="btn btn-primary btn-small" onClick={() => shares.waitAndPublish(state.target)} autoFocus data-testid="share.wait">
              Wait
            </button>
            <button className="btn btn-small" onClick={() => void shares.publishAnyway(state.target)} data-testid="share.anyway">
              Publish anyway
            </button>
          </div>
        </div>
      )
    case 'secrets':
      return (
        <div className="share-note share-error" role="alert" data-testid="share.secrets">
          <p>
            <strong>Nothing was published: {state.total === 1 ? 'a file looks like it holds a secret' : 'these files look like they hold secrets'}.</strong> Remove
            them (keep keys in a <code>.env</code> file, which is never shared), then publish again.
          </p>
          <ul className="share-secrets">
            {state.findings.map((f, i) => (
              <li key={`${f.path}:${f.line}:${f.kind}`} data-testid="share.secret">
                <button className="link-button" onClick={() => onOpenFile(f.path, f.line)} title={`Open ${f.path} at line ${f.line}`} autoFocus={i === 0}>
                  {f.path}:{f.line}
                </button>{' '}
                <span className="share-muted">— {secretKindLabel(f.kind)}</span>
              </li>
            ))}
          </ul>
          {state.total > state.findings.length && <p className="share-muted">…and {state.total - state.findings.length} more.</p>}
          <button className="btn btn-small" onClick={() => void shares.publish(state.target)} data-testid="share.retry">
            Check again
          </button>
        </div>
      )
    case 'failed':
      return (
        <div className="share-note share-error" role="alert" data-testid="share.error">
          <p>{state.message}</p>
          <button className="btn btn-small" onClick={() => void shares.publish(state.target)} autoFocus data-testid="share.retry">
            Try again
          </button>
        </div>
      )
  }
}
