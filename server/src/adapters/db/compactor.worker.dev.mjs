// The compaction worker run from source (`pnpm dev`, vitest): Node 20 applies no `--import` loader to a worker
// thread's entry, so this entry loads the TypeScript through tsx's API. The build bundles compactor.worker.ts itself.
import { tsImport } from 'tsx/esm/api'

await tsImport('./compactor.worker.ts', import.meta.url)
