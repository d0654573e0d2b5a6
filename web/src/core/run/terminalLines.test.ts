import { expect, test } from 'vitest'
import { chunkings } from './chunkings.ts'
import { cleanLine, TerminalLines, terminalLines } from './terminalLines.ts'

const ESC = '\x1b'

/// Raw pty output → the lines a person sees.
const cases: Array<[name: string, raw: string, lines: string[]]> = [
  ['plain lines, CRLF', 'one\r\ntwo\r\n', ['one', 'two']],
  ['colours', `${ESC}[31mFailed running 'index.js'${ESC}[39m\r\n`, ["Failed running 'index.js'"]],
  // npm 10 draws its spinner with cursorTo(0) + clearLine and writes the log line over it.
  ['npm spinner erased in place', `${ESC}[?25l${ESC}[1G⠙${ESC}[1G${ESC}[0K⠹${ESC}[1G${ESC}[0Knpm error 404 Not Found\r\n`, ['npm error 404 Not Found']],
  ['spinner glyph glued to text (escapes lost upstream)', '⠸npm error 404\n', ['npm error 404']],
  ['spinner-only lines become empty', '⠋\r\n⠙ \r\n', ['', '']],
  ['carriage-return overwrite', 'progress 10%\rprogress 100%\n', ['progress 100%']],
  ['shorter overwrite keeps the tail, as a terminal does', 'abcdef\rXY\n', ['XYcdef']],
  ['overwrite then erase to the end', `abcdef\rXY${ESC}[K\n`, ['XY']],
  ['erase the whole line', `junk${ESC}[2K\rok\n`, ['ok']],
  ['OSC window title and hyperlink', `${ESC}]0;npm run dev${'\x07'}see ${ESC}]8;;https://x.dev${ESC}\\x.dev${ESC}]8;;${ESC}\\\n`, ['see x.dev']],
  ['reset (node --watch clears the screen)', `old${ESC}cRestarting 'a.js'\n`, ["Restarting 'a.js'"]],
  ['backspace', 'ab\bc\n', ['ac']],
  ['cursor forward leaves a space', `a${ESC}[2Cb\n`, ['a  b']],
  ['bell and other controls dropped', 'a\x07b\x00c\n', ['abc']],
  ['last line without newline', 'done\nstill', ['done', 'still']],
]

test.each(cases)('%s', (_name, raw, lines) => {
  expect(terminalLines(raw)).toEqual(lines)
})

test.each(cases)('%s, fed in chunks', (_name, raw, lines) => {
  for (const chunks of chunkings(raw)) {
    const t = new TerminalLines()
    const out = chunks.flatMap((c) => t.push(c))
    if (t.partial) out.push(t.partial)
    expect(out, JSON.stringify(chunks)).toEqual(lines)
  }
})

test('partial hides an escape sequence cut off at the end of a chunk', () => {
  const t = new TerminalLines()
  t.push(`waiting ${ESC}[3`)
  expect(t.partial).toBe('waiting')
  expect(t.push('1mred\n')).toEqual(['waiting red'])
})

test('a never-ended line is bounded', () => {
  const t = new TerminalLines()
  for (let i = 0; i < 5000; i++) t.push(`\rprogress ${i}`)
  expect(t.partial).toBe('progress 4999')
})

test('cleanLine on a single line', () => {
  expect(cleanLine(`${ESC}[1m${ESC}[32m  ➜  ${ESC}[39m${ESC}[22m${ESC}[1mLocal${ESC}[22m:   ${ESC}[36mhttp://localhost:${ESC}[1m5173${ESC}[22m/${ESC}[39m`)).toBe(
    '  ➜  Local:   http://localhost:5173/',
  )
})
