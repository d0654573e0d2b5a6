export function EmptyState() {
  return (
    <section className="empty-state" data-testid="workbench.empty" aria-labelledby="empty-state-title">
      <svg className="empty-state-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <path
          d="M6 14a4 4 0 0 1 4-4h9l4 5h15a4 4 0 0 1 4 4v17a4 4 0 0 1-4 4H10a4 4 0 0 1-4-4z"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinejoin="round"
        />
        <path d="m20 24-4 4 4 4m8-8 4 4-4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <h1 id="empty-state-title" className="empty-state-title">
        No project open
      </h1>
      <p className="empty-state-hint">
        When you open a project, its files, terminal and preview appear here. Its code runs in this tab.
      </p>
      <p className="empty-state-aside">Meanwhile, the scratch editor works. Nothing typed in it is saved.</p>
    </section>
  )
}
