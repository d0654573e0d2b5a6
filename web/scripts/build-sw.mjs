// `node web/scripts/build-sw.mjs [distDir]`: writes the service worker (distDir/sw.js, default web/dist) after
// `vite build`, with workbox-build's generateSW:
//   - precaches every file of the build (app shell, Monaco chunks and workers, fonts, icons, manifest), so a reload
//     with no network opens the dashboard and every project stored on the device;
//   - hashed files under assets/ are fetched once (no cache-busting query), the rest by content revision;
//   - navigations get the precached index.html (client routes), except /api/*, which the service worker never
//     touches (network only: the sync client handles offline);
//   - no skipWaiting and no clientsClaim: a new version waits until the person chooses "Reload" (the page posts
//     SKIP_WAITING through workbox-window), so tabs on the old version keep loading their lazy chunks from the old
//     precache meanwhile.
// Responses are cached as the server sent them, headers included: COOP/COEP survive, so a page loaded offline is
// still cross-origin isolated (e2e/tests/offline.spec.ts checks it).
import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateSW } from 'workbox-build'

const dist = path.resolve(process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url)))

// Chromium gives every script a service worker stores while it installs an eager, full V8 code cache (every function
// compiled). For the chunks shipped as classic scripts (web/scripts/classicChunks.ts) that cache was 2.6× the lazy
// one (editor.api: 5.3 vs 2.0 MB), and taking it on cost the main thread ~1,000 ms per project open instead of ~290:
// slower than compiling the modules again. Once installed, the worker stores those entries again (outside install:
// no code cache), and Chromium then keeps the usual lazy cache of the functions a load runs, as it does without the
// worker. Fetches wait for `activate` to finish, so no page ever sees the cache without them.
// Only this build's files: an old version's entries are being deleted by Workbox in the same `activate`, and storing
// one again would keep it for good.
const RESTORE_CLASSIC = 'sw-classic.js'
const classicFiles = readdirSync(path.join(dist, 'assets'))
  .filter((f) => f.endsWith('.classic.js'))
  .map((f) => `assets/${f}`)
writeFileSync(
  path.join(dist, RESTORE_CLASSIC),
  `// Written by web/scripts/build-sw.mjs: this build's classic-script chunks lose the install-time full code cache.
// In a function: sw.js declares its own top-level names in the same global scope.
(() => {
const CLASSIC_FILES = ${JSON.stringify(classicFiles)};
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const file of CLASSIC_FILES) {
        const request = new Request(new URL(file, self.location.href).href);
        const response = await cache.match(request);
        if (response) await cache.put(request, response);
      }
    }
  })());
});
})();
`,
)

const { count, size, warnings } = await generateSW({
  globDirectory: dist,
  globPatterns: ['**/*.{html,js,mjs,css,svg,png,ico,woff,woff2,ttf,webmanifest,json,wasm}'],
  globIgnores: ['sw.js', RESTORE_CLASSIC, '**/*.map', '**/*.br', '**/*.gz'],
  importScripts: [RESTORE_CLASSIC],
  swDest: path.join(dist, 'sw.js'),
  // The TypeScript worker is several MB; the whole editor must work offline.
  maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  dontCacheBustURLsMatching: /^assets\//,
  navigateFallback: '/index.html',
  navigateFallbackDenylist: [/^\/api(\/|$)/],
  directoryIndex: 'index.html',
  cleanupOutdatedCaches: true,
  skipWaiting: false,
  clientsClaim: false,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
})
for (const w of warnings) console.warn(`service worker: ${w}`)
console.log(`service worker: ${path.relative(process.cwd(), path.join(dist, 'sw.js'))} precaches ${count} files, ${(size / 1e6).toFixed(1)} MB`)
