import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin, type UserConfig } from 'vite'
import { COEP_META_NAME, CoepSchema, DEFAULT_COEP, type Coep } from './shared/src/index.ts'

// Builds web/ into web/dist. The production server serves that folder with its own headers (server/src/middleware/
// security-headers); the headers below make `vite` and `vite preview` behave the same, so `crossOriginIsolated` is
// true in development too. Unit tests use each package's own vitest.config.ts, not this file.

const webRoot = fileURLToPath(new URL('./web', import.meta.url))

/// The same variable the server reads (server/src/config.ts `COEP`); an invalid value fails loudly.
function coepFromEnv(value: string | undefined): Coep {
  if (value === undefined || value === '') return DEFAULT_COEP
  const parsed = CoepSchema.safeParse(value)
  if (!parsed.success) {
    throw new RangeError(`Invalid COEP "${value}" (expected one of ${CoepSchema.options.join(', ')})`)
  }
  return parsed.data
}

/// Mirrors the production CSP minus the WebContainer frame origins, so `vite preview` catches CSP regressions.
const PREVIEW_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/// In development nobody rewrites index.html, so write the COEP the dev server sends into the meta tag that
/// `web/src/core/env.ts` reads. In production the server does this at serve time.
function coepMeta(coep: Coep): Plugin {
  const tag = new RegExp(`(<meta name="${COEP_META_NAME}" content=")[^"]*(")`)
  return {
    name: 'slipway:coep-meta',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(tag, `$1${coep}$2`)
    },
  }
}

export default defineConfig((): UserConfig => {
  const coep = coepFromEnv(process.env.COEP)
  const isolation = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': coep,
    'Cross-Origin-Resource-Policy': 'same-origin',
  }
  const proxy = { '/api': { target: `http://127.0.0.1:${process.env.PORT ?? 3000}`, changeOrigin: false } }

  return {
    root: webRoot,
    plugins: [react(), coepMeta(coep)],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      assetsDir: 'assets',
      // The Monaco chunks (lazy) and the TypeScript worker are big by nature; size budgets for the first chunk live
      // in bench/, not in this warning.
      chunkSizeWarningLimit: 8192,
    },
    // Monaco's workers import each other as ES modules; `iife` cannot code-split.
    worker: { format: 'es' },
    server: { port: 5173, headers: isolation, proxy },
    preview: { port: 4173, headers: { ...isolation, 'Content-Security-Policy': PREVIEW_CSP }, proxy },
  }
})
