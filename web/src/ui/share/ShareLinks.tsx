import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { RefObject } from 'react'
import type { PublishedVersion, ShareLink } from '@slipway/shared'
import { omittedGroups, pinnedUrl, relativeTime, versionContents, viewsLine } from '../../core/shares/shareView.ts'
import { QrCode } from './QrCode.tsx'
import { useCopy } from './useCopy.ts'

/// The link the project is shared at: URL with Copy, a QR code, the latest version and what it left out, views,
/// Publish again, Revoke (confirmed in place), and every version's pinned link.
export function CurrentLink({
  link,
  published,
  behind,
  publishing,
  busy,
  offline,
  revoking,
  primary,
  onPublish,
  onRevoke,
}: {
  link: ShareLink
  /// The version this dialog just published at this link (what it left out is known only then).
  published: PublishedVersion | undefined
  /// That version was published anyway, without edits the editor shows.
  behind: boolean
  publishing: boolean
  /// A publish is under way: Publish again stays focusable but does nothing.
  busy: boolean
  offline: boolean
  revoking: boolean
  primary: RefObject<HTMLButtonElement | null>
  onPublish: () => void
  onRevoke: () => Promise<boolean>
}) {
  const { copied, failed, copy } = useCopy()
  const input = useRef<HTMLInputElement>(null)
  const [confirming, setConfirming] = useState(false)
  const keep = useRef<HTMLButtonElement>(null)
  const revokeButton = useRef<HTMLButtonElement>(null)
  const copyButton = useRef<HTMLButtonElement>(null)
  const asked = useRef(false)
  // The question takes focus (its safe answer); answered "keep", focus returns to Revoke…, where it was. Before paint,
  // so the buttons that went away never leave focus on the page's body.
  useLayoutEffect(() => {
    if (confirming) keep.current?.focus()
    else if (asked.current) revokeButton.current?.focus()
    asked.current = confirming
  }, [confirming])
  // A version just published: Copy takes focus (the button pressed is gone or disabled), so Enter copies the link.
  const justPublished = published?.n
  useEffect(() => {
    if (justPublished !== undefined) copyButton.current?.focus()
  }, [justPublished])
  const latest = link.versions[link.versions.length - 1]
  const now = Date.now()
  const groups = published ? omittedGroups(published.omitted) : []
  const copyLink = async () => {
    if (!(await copy('link', link.url))) input.current?.select()
  }
  return (
    <section className="share-current" aria-label="Link" data-testid="share.link" data-link={link.id}>
      <div className="share-url-row">
        <input ref={input} className="share-url" readOnly value={link.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} data-testid="share.url" />
        <button ref={copyButton} className="btn" onClick={() => void copyLink()} data-testid="share.copy">
          {copied === 'link' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="share-copy-status" role="status" data-testid="share.copied">
        {copied === 'link' ? 'Link copied to the clipboard.' : failed === 'link' ? 'The browser would not copy. The link is selected: press Ctrl+C.' : ''}
      </p>
      <div className="share-details">
        <QrCode text={link.url} label="QR code of the link: scan it to open the project on a phone" />
        <div className="share-facts">
          {latest && (
            <p data-testid="share.summary">
              <strong>Version {latest.n}</strong> · {versionContents(published ?? latest)} · published {relativeTime(latest.createdAt, now)}
            </p>
          )}
          <p className="share-muted" data-testid="share.views">
            {viewsLine(link, now)}
          </p>
          {groups.length > 0 && (
            <div className="share-omitted" data-testid="share.omitted">
              <p className="share-muted">Left out of this version:</p>
              <ul>
                {groups.map((g) => (
                  <li key={g.why}>
                    <span className="share-paths">{g.paths.slice(0, 5).join(', ')}{g.paths.length > 5 ? ` and ${g.paths.length - 5} more` : ''}</span> — {g.why}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {published && groups.length === 0 && !behind && <p className="share-muted">Every project file is in this version.</p>}
          {behind && (
            <p className="share-note share-warn" data-testid="share.behind">
              This version is what the server had: your latest edits are not in it. Publish again once they are synced.
            </p>
          )}
          {confirming ? (
            <div className="share-confirm" role="group" aria-label="Revoke this link?" data-testid="share.revoke-confirm">
              <p>
                <strong>Revoke this link?</strong> Everyone who has it, pinned versions included, sees “This link was revoked” from now on. You can
                create a new link afterwards.
              </p>
              <div className="share-actions">
                <button ref={keep} className="btn btn-small" onClick={() => revoking || setConfirming(false)} aria-disabled={revoking || undefined}>
                  Keep the link
                </button>
                <button
                  className="btn btn-danger btn-small"
                  onClick={() => revoking || void onRevoke().then((ok) => ok || setConfirming(false))}
                  aria-disabled={revoking || undefined}
                  data-testid="share.revoke-yes"
                >
                  {revoking ? 'Revoking…' : 'Revoke link'}
                </button>
              </div>
            </div>
          ) : (
            <div className="share-actions">
              <button
                ref={primary}
                className="btn btn-primary"
                onClick={() => busy || onPublish()}
                disabled={offline}
                aria-disabled={busy || undefined}
                data-testid="share.again"
                title="Publish the project as it is now as the next version of this link"
              >
                {publishing ? (
                  <>
                    <span className="spinner" aria-hidden="true" /> Publishing…
                  </>
                ) : (
                  'Publish again'
                )}
              </button>
              <a className="btn" href={link.url} target="_blank" rel="noopener noreferrer" data-testid="share.open">
                Open
              </a>
              <button ref={revokeButton} className="btn btn-ghost" onClick={() => setConfirming(true)} data-testid="share.revoke">
                Revoke…
              </button>
            </div>
          )}
        </div>
      </div>
      {link.versions.length > 0 && (
        <details className="share-versions" open={link.versions.length > 1}>
          <summary>
            {link.versions.length === 1 ? '1 version' : `${link.versions.length} versions`}: each has a pinned link that never changes
          </summary>
          <ul data-testid="share.versions">
            {[...link.versions].reverse().map((v) => {
              const url = pinnedUrl(link.url, v.n)
              return (
                <li key={v.n} data-testid="share.version" data-n={v.n}>
                  <span>
                    <strong>v{v.n}</strong> <span className="share-muted">· {relativeTime(v.createdAt, now)} · {versionContents(v)}</span>
                  </span>
                  <span className="share-actions">
                    <a className="btn btn-ghost btn-small" href={url} target="_blank" rel="noopener noreferrer" aria-label={`Open version ${v.n}`}>
                      Open
                    </a>
                    <button className="btn btn-ghost btn-small" onClick={() => void copy(`v${v.n}`, url)} aria-label={`Copy the link of version ${v.n}`} data-testid="share.copy-version">
                      {copied === `v${v.n}` ? 'Copied' : failed === `v${v.n}` ? 'Copy failed' : 'Copy'}
                    </button>
                  </span>
                </li>
              )
            })}
          </ul>
        </details>
      )}
    </section>
  )
}

/// The project's other links: older ones still working (with Revoke) and revoked ones.
export function OtherLinks({ links, revoking, disabled, onRevoke }: { links: ShareLink[]; revoking: string | undefined; disabled: boolean; onRevoke: (id: string) => Promise<boolean> }) {
  const { copied, copy } = useCopy()
  const [confirming, setConfirming] = useState<string>()
  const list = useRef<HTMLUListElement>(null)
  const asked = useRef<string>(undefined)
  // As in CurrentLink: the question's Keep takes focus; answered, focus returns to the row's Revoke… (a revoked row
  // has none: the dialog's focus rescue takes over).
  useLayoutEffect(() => {
    const row = (id: string | undefined) => (id ? list.current?.querySelector(`[data-link="${id}"]`) : undefined)
    if (confirming) row(confirming)?.querySelector<HTMLElement>('[data-action="keep"]')?.focus()
    else row(asked.current)?.querySelector<HTMLElement>('[data-action="revoke"]')?.focus()
    asked.current = confirming
  }, [confirming])
  const now = Date.now()
  return (
    <section className="share-others" aria-label="Other links">
      <h3 className="share-subtitle">Other links</h3>
      <ul ref={list}>
        {links.map((l) => {
          const latest = l.versions[l.versions.length - 1]
          return (
            <li key={l.id} data-testid="share.other" data-link={l.id} data-revoked={l.revokedAt ? 'true' : undefined}>
              <div className="share-other-main">
                <span className="share-url-short" title={l.url}>
                  {shortUrl(l.url)}
                </span>
                <span className="share-muted">
                  {l.revokedAt ? `Revoked ${relativeTime(l.revokedAt, now)}` : `v${latest?.n ?? 0} · ${viewsLine(l, now)}`}
                </span>
              </div>
              {!l.revokedAt && (
                <span className="share-actions">
                  <button className="btn btn-ghost btn-small" onClick={() => void copy(l.id, l.url)} aria-label={`Copy ${shortUrl(l.url)}`}>
                    {copied === l.id ? 'Copied' : 'Copy'}
                  </button>
                  {confirming === l.id ? (
                    <>
                      <button className="btn btn-small" onClick={() => setConfirming(undefined)} data-action="keep" aria-label={`Keep ${shortUrl(l.url)}`}>
                        Keep
                      </button>
                      <button
                        className="btn btn-danger btn-small"
                        disabled={disabled}
                        aria-disabled={revoking === l.id || undefined}
                        onClick={() => revoking === l.id || void onRevoke(l.id).then(() => setConfirming(undefined))}
                        aria-label={`Revoke ${shortUrl(l.url)} now`}
                      >
                        {revoking === l.id ? 'Revoking…' : 'Revoke link'}
                      </button>
                    </>
                  ) : (
                    <button className="btn btn-ghost btn-small" onClick={() => setConfirming(l.id)} aria-label={`Revoke ${shortUrl(l.url)}…`} data-action="revoke">
                      Revoke…
                    </button>
                  )}
                </span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/// `/s/AbCdEf…` for a list row.
function shortUrl(url: string): string {
  const m = /\/s\/([A-Za-z0-9_-]+)/.exec(url)
  return m ? `/s/${m[1]!.slice(0, 8)}…` : url
}
