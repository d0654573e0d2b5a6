import ansiRegex from 'ansi-regex'

/// Terminal output as the lines a person reads on the screen: escape sequences (colours, cursor moves, OSC titles
/// and hyperlinks) removed, carriage-return and cursor-column overwrites applied (`npm` redraws its spinner in place
/// with `ESC[1G ESC[0K`), braille spinner glyphs (⠋ ⠙ ⠹ …) dropped. A pure kernel: no DOM, no xterm.

const ESCAPES = ansiRegex()
// The few sequences that change which characters stay on a line; every other one is dropped.
const CSI = /^(?:\x1b\[|\x9b)([0-9;?]*)([A-Za-z])$/
const SPINNER = /[\u2800-\u28ff]+ ?/g
/// An escape sequence cut off at the end of a chunk: held back until the rest arrives.
const UNFINISHED_ESCAPE = /\x1b(?:\[[0-9;?]*|\][^\x07\x1b]*)?$/
/// Characters of an unfinished line kept (a progress bar redrawn with `\r` and never ended grows without bound).
const MAX_PENDING = 16_384

/// One line of raw terminal output (no `\n`) as it ends up on screen, without trailing spaces.
export function cleanLine(raw: string): string {
  const cells: string[] = []
  let col = 0
  const write = (text: string) => {
    for (const ch of text) {
      if (ch === '\r') col = 0
      else if (ch === '\b') col = Math.max(0, col - 1)
      else if (ch === '\t') cells[col++] = '\t'
      else if (ch < ' ' || (ch >= '\x7f' && ch <= '\x9f')) continue
      else cells[col++] = ch
    }
  }
  const control = (seq: string) => {
    if (seq === '\x1bc') {
      // Full reset (what `node --watch` sends to clear the screen before a restart).
      cells.length = 0
      col = 0
      return
    }
    const m = CSI.exec(seq)
    if (!m) return
    const params = m[1]!
    const n = Number(params.split(';')[0] || '0')
    switch (m[2]) {
      case 'G': // cursor to column n (1-based)
        col = Math.max(0, (n || 1) - 1)
        break
      case 'C': // forward
        col += n || 1
        break
      case 'D': // back
        col = Math.max(0, col - (n || 1))
        break
      case 'K': // erase in line: 0 to the end, 1 to the cursor, 2 all of it
        if (n === 0) cells.length = Math.min(cells.length, col)
        else if (n === 1) for (let i = 0; i <= col && i < cells.length; i++) cells[i] = ' '
        else if (n === 2) cells.length = 0
        break
      case 'J': // erase in display: the whole screen takes this line with it
        if (n === 2 || n === 3) cells.length = 0
        break
    }
  }
  let last = 0
  for (const m of raw.matchAll(ESCAPES)) {
    write(raw.slice(last, m.index))
    control(m[0])
    last = m.index + m[0].length
  }
  write(raw.slice(last))
  let line = ''
  for (let i = 0; i < cells.length; i++) line += cells[i] ?? ' '
  return line.replace(SPINNER, '').trimEnd()
}

/// Streaming form of `cleanLine`: feed chunks as they arrive (split anywhere, even inside an escape sequence or
/// between `\r` and `\n`); each completed line comes out once, cleaned.
export class TerminalLines {
  private pending = ''

  /// The lines this chunk completed.
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split('\n')
    this.pending = parts.pop()!
    if (this.pending.length > MAX_PENDING) this.pending = this.pending.slice(-MAX_PENDING)
    return parts.map(cleanLine)
  }

  /// The line being written, as it looks now ('' when the last chunk ended a line).
  get partial(): string {
    return cleanLine(this.pending.replace(UNFINISHED_ESCAPE, ''))
  }
}

/// All lines of a finished text (the last one even without its newline).
export function terminalLines(text: string): string[] {
  const lines = new TerminalLines()
  const done = lines.push(text)
  const partial = lines.partial
  return partial ? [...done, partial] : done
}
