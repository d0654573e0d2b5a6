import { useEffect, useState } from 'react'
import type { StorageInfo } from '../../adapters/persistence/storage.ts'
import { useServices } from '../services.tsx'
import { formatBytes } from '../../core/formatBytes.ts'

/// Where projects live on this device, and whether the browser may clear them.
export function StorageSettings() {
  const services = useServices()
  const [info, setInfo] = useState<StorageInfo>()
  const [asking, setAsking] = useState(false)
  useEffect(() => {
    let live = true
    void services.storage.info().then((i) => live && setInfo(i))
    return () => {
      live = false
    }
  }, [services])
  const persist = async () => {
    setAsking(true)
    await services.storage.persist()
    setInfo(await services.storage.info())
    setAsking(false)
  }
  return (
    <section className="settings-section" aria-label="Storage" data-testid="settings.storage">
      <h3>Storage on this device</h3>
      {!info ? (
        <p className="form-hint">Reading…</p>
      ) : (
        <>
          <p data-testid="settings.storage-state" data-persisted={String(info.persisted)}>
            {info.persisted === true
              ? 'Persistent: the browser keeps your projects even when disk space runs low.'
              : info.persisted === false
                ? 'Best effort: the browser may clear projects that are not synced to an account when disk space runs low.'
                : 'This browser does not say whether it keeps your projects.'}
          </p>
          {info.usage !== undefined && info.quota !== undefined && (
            <p className="form-hint">
              {formatBytes(info.usage)} used of {formatBytes(info.quota)} available to Slipway.
            </p>
          )}
          {info.persisted === false && (
            <button type="button" className="btn" onClick={() => void persist()} disabled={asking} data-testid="settings.persist">
              Keep my projects persistently
            </button>
          )}
        </>
      )}
    </section>
  )
}
