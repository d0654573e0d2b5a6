import { useEffect, useState } from 'react'
import { TEMPLATES, TEMPLATE_IDS } from '@slipway/shared'
import type { TemplateId } from '@slipway/shared'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'
import { Dialog } from '../common/Dialog.tsx'
import { useStore } from '../hooks/useStore.ts'
import { Link, navigate } from '../router.tsx'
import { useServices } from '../services.tsx'
import { ProjectRow, renameResult } from './ProjectRow.tsx'
import './dashboard.css'

/// What each card's badge says: the language or protocol, in the same letters and colour for every template (an
/// atom glyph for React drew as a speck in another font).
const TEMPLATE_ICON: Record<TemplateId, string> = {
  'node-script': 'JS',
  'node-server': 'HTTP',
  'vite-react': 'JSX',
  'vite-vanilla-ts': 'TS',
}

/// The start page: new project from a template (opens the workbench at once), and the projects on this device and
/// in the account.
export function Dashboard() {
  const { library, account } = useServices()
  const user = useStore(account.store)
  const lib = useStore(library.store)
  const userId = user.state === 'signed-in' ? user.user.id : undefined
  const [creating, setCreating] = useState<TemplateId>()
  const [error, setError] = useState<string>()
  const [confirmDelete, setConfirmDelete] = useState<ProjectEntry>()

  useEffect(() => {
    if (user.state !== 'loading') void library.refresh(userId)
  }, [library, user.state, userId])

  const create = async (template: TemplateId) => {
    setCreating(template)
    setError(undefined)
    const res = await library.create(template, userId)
    setCreating(undefined)
    if (res.ok) navigate(`/p/${res.value.id}`)
    else setError(res.kind === 'network' ? 'The server cannot be reached. Sign out to work locally, or try again.' : res.message)
  }

  return (
    <main className="dashboard" data-testid="dashboard">
      <section className="dash-section">
        <h1 className="dash-title">New project</h1>
        <p className="dash-sub">Pick a starting point. It opens at once; the runtime boots in the background.</p>
        <div className="template-grid">
          {TEMPLATE_IDS.map((id) => (
            <button
              key={id}
              className="template-card"
              onClick={() => void create(id)}
              disabled={creating !== undefined}
              data-testid="dashboard.template"
              data-template={id}
            >
              <span className="template-icon" aria-hidden="true">
                {TEMPLATE_ICON[id]}
              </span>
              <span className="template-text">
                <strong>{TEMPLATES[id].title}</strong>
                <small>{creating === id ? 'Creating…' : TEMPLATES[id].description}</small>
              </span>
            </button>
          ))}
        </div>
        {error && (
          <p className="form-error" role="alert" data-testid="dashboard.error">
            {error}
          </p>
        )}
      </section>

      <section className="dash-section">
        <div className="dash-row">
          <h2 className="dash-title">{userId ? 'Your projects' : 'Projects on this device'}</h2>
          {lib.offline && <span className="pill pill-warn">Offline — showing projects saved on this device</span>}
        </div>
        {!userId && user.state !== 'loading' && (
          <p className="dash-sub">
            These live only in this browser. <Link to="/signup">Create an account</Link> or <Link to="/signin">sign in</Link> to keep them on every device.
          </p>
        )}
        {lib.loading ? (
          <p className="dash-sub" aria-busy="true">
            Loading projects…
          </p>
        ) : lib.projects.length === 0 ? (
          <div className="dash-empty" data-testid="dashboard.empty">
            No projects yet. Start one from a template above.
          </div>
        ) : (
          <ul className="project-list">
            {lib.projects.map((p) => (
              <ProjectRow key={p.id} project={p} files={lib.fileCounts[p.id]} onRename={async (entry, name) => renameResult(await library.rename(entry, name))} onDelete={setConfirmDelete} />
            ))}
          </ul>
        )}
      </section>
      {confirmDelete && (
        <Dialog title={`Delete “${confirmDelete.name}”?`} onClose={() => setConfirmDelete(undefined)}>
          <p>{confirmDelete.origin === 'server' ? 'It is removed from your account and every device.' : 'It is removed from this browser.'} This cannot be undone.</p>
          <div className="form-actions">
            <button className="btn" onClick={() => setConfirmDelete(undefined)} data-testid="dialog.cancel">
              Cancel
            </button>
            <button
              className="btn btn-danger"
              data-testid="dialog.confirm"
              onClick={async () => {
                const res = await library.remove(confirmDelete)
                setConfirmDelete(undefined)
                if (!res.ok) setError(res.message)
              }}
            >
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </main>
  )
}
