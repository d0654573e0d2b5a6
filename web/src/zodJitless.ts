// The one module that must run at import time, and main.tsx imports it first.
//
// zod probes `new Function('')` when the first object schema is *built* (module evaluation of @slipway/shared), to
// decide whether to compile parsers. The CSP has no 'unsafe-eval', so the probe is blocked and reported as a
// `securitypolicyviolation` even though zod catches the error. Jitless mode skips the probe; parsing is unchanged.
// Any other browser entry point (e.g. the service worker) needs the same import first.
import { config } from 'zod'

config({ jitless: true })
