// The one entry of all of Monaco's workers. The worker's name (Monaco's label, given by installMonacoEnvironment)
// picks the language service, loaded as a chunk of this worker's build: the editor worker core that every service
// runs on (the mirror models, the RPC server, diff and word computations) is then one shared chunk instead of a copy
// inside each of the five worker bundles (~70 KB brotli each, on every first visit's precache).
//
// Each service module sets `self.onmessage` when it evaluates and expects the main thread's first message after
// that; messages that arrive while its chunk loads are kept and handed to it in order, in the same task as the load
// completes (no message can come in between).
const early: MessageEvent[] = []
self.onmessage = (event: MessageEvent) => {
  early.push(event)
}

function service(label: string): Promise<unknown> {
  switch (label) {
    case 'typescript':
    case 'javascript':
      return import('monaco-editor/languages/features/typescript/ts.worker')
    case 'json':
      return import('monaco-editor/languages/features/json/json.worker')
    case 'css':
    case 'scss':
    case 'less':
      return import('monaco-editor/languages/features/css/css.worker')
    case 'html':
    case 'handlebars':
    case 'razor':
      return import('monaco-editor/languages/features/html/html.worker')
    default:
      return import('monaco-editor/editor/editor.worker')
  }
}

void service(self.name).then(() => {
  for (const event of early.splice(0)) {
    const handler = self.onmessage as ((this: typeof self, event: MessageEvent) => void) | null
    handler?.call(self, event)
  }
})
