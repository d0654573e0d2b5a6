import { StatusPill } from './StatusPill.tsx'

/// Whether the page is cross-origin isolated, which WebContainer needs for SharedArrayBuffer.
export function IsolationStatus({ isolated }: { readonly isolated: boolean }) {
  return isolated ? (
    <StatusPill
      tone="ok"
      testId="app.isolation"
      data={{ isolated: 'true' }}
      title="The page is cross-origin isolated, so code can run in this tab."
    >
      Isolated
    </StatusPill>
  ) : (
    <StatusPill
      tone="warn"
      testId="app.isolation"
      data={{ isolated: 'false' }}
      title="The server must send Cross-Origin-Opener-Policy: same-origin and a Cross-Origin-Embedder-Policy."
    >
      Not isolated — WebContainer needs COOP/COEP
    </StatusPill>
  )
}
