// Must stay the first import: it has to run before any module that builds zod schemas.
import './zodJitless.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { checkHealth } from './adapters/api/health.ts'
import { readAppEnv } from './core/env.ts'
import { App } from './ui/App.tsx'

// The only place things are wired: read the environment, build adapters, hand them to the UI.

const env = readAppEnv(window)
const fetchFn = window.fetch.bind(window)

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no <div id="root">')

createRoot(container).render(
  <StrictMode>
    <App env={env} checkHealth={(signal) => checkHealth(fetchFn, signal)} />
  </StrictMode>,
)
