import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'

/// What this page runs against: the server, the network, cross-origin isolation and the COEP it was served with.
/// The top bar only says when one of them is wrong; this is where they are spelled out.
export function AboutSettings() {
  const { connectivity, env } = useServices()
  const { online, server } = useStore(connectivity.store)
  return (
    <section className="settings-section" aria-labelledby="settings-about-title" data-testid="settings.about">
      <h3 id="settings-about-title">About</h3>
      <dl className="about-list">
        <dt>Server</dt>
        <dd data-testid="about.server" data-state={server?.state ?? 'loading'}>
          {!server ? 'Checking…' : server.state === 'ok' ? `Slipway ${server.health.version}, database ${server.health.db}` : `Unreachable (${server.reason})`}
        </dd>
        <dt>Network</dt>
        <dd data-testid="about.network" data-online={String(online)}>
          {online ? 'Online' : 'Offline'}
        </dd>
        <dt>Cross-origin isolated</dt>
        <dd data-testid="about.isolation" data-isolated={String(env.crossOriginIsolated)}>
          {env.crossOriginIsolated ? 'Yes: code can run in this tab' : 'No: WebContainer cannot run here (the server must send COOP and COEP)'}
        </dd>
        <dt>Cross-Origin-Embedder-Policy</dt>
        <dd data-testid="about.coep">
          <code>{env.coep}</code>
        </dd>
      </dl>
    </section>
  )
}
