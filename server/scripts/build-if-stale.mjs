// Builds the SPA and the server bundle when any source is newer than the last build.
import { ensureBuilt } from './bootstrap.mjs'

await ensureBuilt({ force: process.argv.includes('--force') })
