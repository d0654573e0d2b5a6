import { expect, test } from 'vitest'
import { NPM_404, WATCH_COMPLETED, WATCH_MISSING_MODULE, WATCH_THROW } from './captured.test-data.ts'
import { chunkings } from './chunkings.ts'
import { mentionedPorts, RunOutput } from './runOutput.ts'
import type { RunSignal } from './runOutput.ts'

const ESC = '\x1b'

/// Raw output → the signals it carries and the lines of the attempt it ends with.
const cases: Array<[name: string, raw: string, signals: RunSignal[], lines?: string[]]> = [
  ['node --watch: a crash', WATCH_THROW, [{ type: 'crashed', line: "Failed running 'throw.mjs'" }]],
  ['node --watch: a missing module', WATCH_MISSING_MODULE, [{ type: 'crashed', line: "Failed running 'missing.mjs'" }]],
  ['node --watch: ran to its end', WATCH_COMPLETED, [{ type: 'completed', line: "Completed running 'ok.mjs'" }], ['Hello, Slipway!', 'Node v20.20.2']],
  [
    'node --watch: a restart clears the last attempt (and the screen)',
    `old output\r\n${ESC}[31mFailed running 'a.js'${ESC}[39m\r\n${ESC}c${ESC}[32mRestarting 'a.js'${ESC}[39m\r\nnew output\r\n`,
    [
      { type: 'crashed', line: "Failed running 'a.js'" },
      { type: 'restarting', line: "Restarting 'a.js'" },
    ],
    ['new output'],
  ],
  [
    'nodemon',
    '[nodemon] starting `node a.js`\n[nodemon] app crashed - waiting for file changes before starting...\n[nodemon] restarting due to changes...\n[nodemon] clean exit - waiting for changes before restart\n',
    [
      { type: 'restarting', line: '[nodemon] starting `node a.js`' },
      { type: 'crashed', line: '[nodemon] app crashed - waiting for file changes before starting...' },
      { type: 'restarting', line: '[nodemon] restarting due to changes...' },
      { type: 'completed', line: '[nodemon] clean exit - waiting for changes before restart' },
    ],
  ],
  [
    'Vite names its port',
    `\r\n  ${ESC}[32m${ESC}[1mVITE${ESC}[22m v7.1.0${ESC}[39m  ready in 312 ms\r\n\r\n  ${ESC}[32m➜${ESC}[39m  ${ESC}[1mLocal${ESC}[22m:   ${ESC}[36mhttp://localhost:${ESC}[1m5173${ESC}[22m/${ESC}[39m\r\n`,
    [{ type: 'port', port: 5173 }],
  ],
  ['the Node server template names its port', 'Listening on http://localhost:3000\r\n', [{ type: 'port', port: 3000 }]],
  ['a marker in the middle of a line is the program’s own text', "echo Failed running 'x'\n", []],
  ['npm output carries no signal', NPM_404, []],
]

test.each(cases)('%s', (_name, raw, signals, lines) => {
  for (const chunks of chunkings(raw, 3)) {
    const output = new RunOutput()
    const got = chunks.flatMap((c) => output.push(c))
    expect(got, JSON.stringify(chunks)).toEqual(signals)
    if (lines) expect(output.lines.filter((l) => l.trim())).toEqual(lines)
  }
})

test('ports named in a line', () => {
  expect(mentionedPorts('Server running at http://127.0.0.1:8080/ and http://[::1]:8080')).toEqual([8080])
  expect(mentionedPorts('listening on port 4000')).toEqual([4000])
  expect(mentionedPorts('Listening on :4000')).toEqual([4000])
  expect(mentionedPorts('PORT=3001 node server.js')).toEqual([3001])
  expect(mentionedPorts('Network: http://192.168.1.4:5173/')).toEqual([5173])
  expect(mentionedPorts('added 42 packages in 3s')).toEqual([])
  expect(mentionedPorts('v1.2.3 at 10:42:07')).toEqual([])
  expect(mentionedPorts('http://localhost:99999/')).toEqual([])
})

test('the unfinished last line counts as output', () => {
  const output = new RunOutput()
  output.push('a\nwaiting for input: ')
  expect(output.lines).toEqual(['a', 'waiting for input:'])
})
