import { expect, test } from 'vitest'
import { NPM_404, WATCH_COMPLETED, WATCH_MISSING_MODULE, WATCH_THROW } from './captured.test-data.ts'
import { chunkings } from './chunkings.ts'
import { errorExcerpt } from './errorExcerpt.ts'
import type { ErrorExcerpt } from './errorExcerpt.ts'
import { RunOutput } from './runOutput.ts'

/// Raw output (as a run's terminal received it) → the key line and the lines worth showing.
const cases: Array<[name: string, raw: string, excerpt: ErrorExcerpt]> = [
  [
    'a missing module keeps "Cannot find module", not only the stack’s tail',
    WATCH_MISSING_MODULE,
    {
      line: "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/home/me/app/lib/missing.js' imported from /home/me/app/missing.mjs",
      lines: ["Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/home/me/app/lib/missing.js' imported from /home/me/app/missing.mjs"],
    },
  ],
  [
    'a throw at startup: the user’s code frame, the error and the frame in their file',
    WATCH_THROW,
    {
      line: 'Error: boom at startup',
      lines: ['file:///home/me/app/throw.mjs:3', "throw new Error('boom at startup')", '      ^', 'Error: boom at startup', '    at file:///home/me/app/throw.mjs:3:7'],
    },
  ],
  [
    'npm 404: the npm error lines without spinner glyphs, codes or the log file',
    NPM_404,
    {
      line: 'npm error 404 Not Found - GET https://registry.npmjs.org/slipway-no-such-package-zz9',
      lines: [
        'npm error 404 Not Found - GET https://registry.npmjs.org/slipway-no-such-package-zz9',
        "npm error 404  The requested resource 'slipway-no-such-package-zz9@1.0.0' could not be found or you do not have permission to access it.",
        'npm error 404 Note that you can also install from a',
        'npm error 404 tarball, folder, http url, or git url.',
      ],
    },
  ],
  [
    'CommonJS: the require stack continues the error; node:internal frames are left out',
    "node:internal/modules/cjs/loader:1210\r\n  throw err;\r\n  ^\r\n\r\nError: Cannot find module './missing'\r\nRequire stack:\r\n- /home/me/app/index.cjs\r\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)\r\n    at Object.<anonymous> (/home/me/app/index.cjs:1:1)\r\n\r\nNode.js v20.20.2\r\n[process exited with code 1]\r\n",
    {
      line: "Error: Cannot find module './missing'",
      lines: ["Error: Cannot find module './missing'", 'Require stack:', '- /home/me/app/index.cjs', '    at Object.<anonymous> (/home/me/app/index.cjs:1:1)'],
    },
  ],
  [
    'no error line: the last lines',
    'one\ntwo\nthree\n\n[process exited with code 3]\n',
    { lines: ['one', 'two', 'three'] },
  ],
  ['a port in use', 'Error: listen EADDRINUSE: address already in use :::3000\n    at Server.setupListenHandle (node:net:1908:16)\n', { line: 'Error: listen EADDRINUSE: address already in use :::3000', lines: ['Error: listen EADDRINUSE: address already in use :::3000'] }],
  ['a tool’s own error line', 'vite v7\n✘ [ERROR] Could not resolve "./App"\n  src/main.ts:1:16\n', { line: '✘ [ERROR] Could not resolve "./App"', lines: ['vite v7', '✘ [ERROR] Could not resolve "./App"', '  src/main.ts:1:16'] }],
]

test.each(cases)('%s', (_name, raw, excerpt) => {
  for (const chunks of chunkings(raw, 3)) {
    const output = new RunOutput()
    for (const c of chunks) output.push(c)
    expect(errorExcerpt(output.lines), JSON.stringify(chunks)).toEqual(excerpt)
  }
})

test('a clean run has no key line', () => {
  const output = new RunOutput()
  output.push(WATCH_COMPLETED)
  expect(errorExcerpt(output.lines)).toEqual({ lines: ['Hello, Slipway!', 'Node v20.20.2'] })
})

test('at most max lines, long lines clipped', () => {
  const many = Array.from({ length: 30 }, (_, i) => `line ${i}`)
  expect(errorExcerpt(many, 4).lines).toEqual(['line 26', 'line 27', 'line 28', 'line 29'])
  expect(errorExcerpt([`Error: ${'x'.repeat(1000)}`]).line).toHaveLength(300)
})
