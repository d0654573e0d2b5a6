// Runs before any module: zod probes `new Function('')` the first time it builds an object schema, which the CSP
// (no 'unsafe-eval') reports as a violation even though zod catches it. zod reads this global config when it loads,
// so setting it here, in a classic script that runs before the deferred module scripts, turns the probe off
// whatever order the bundler evaluates chunks in. Any other entry (the service worker) must set it too.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true })
