/// The lines of a failed program's output worth showing a person: the key error line ("Error [ERR_MODULE_NOT_FOUND]:
/// Cannot find module …", "npm error 404 …") with what explains it (the user's code frame, the first stack frame in
/// their code), instead of the last lines, which for a Node crash are only the stack's tail. Input: cleaned lines
/// (see `terminalLines`). A pure kernel.

export interface ErrorExcerpt {
  /// The one line that says what went wrong, when one was found.
  readonly line?: string
  /// Up to `max` lines around it, in output order; the last lines of the output when no key line was found.
  readonly lines: readonly string[]
}

// "Error: boom", "TypeError: x is not a function", "Error [ERR_MODULE_NOT_FOUND]: Cannot find module …",
// "Uncaught SyntaxError: …", "node:internal… ReferenceError: …".
const JS_ERROR = /^(?:Uncaught\s+)?(?:[A-Z][\w$]*)?(?:Error|Exception)(?:\s+\[[A-Z0-9_]+\])?:\s*\S/
const NODE_CODES = /\b(?:Cannot find module|Cannot find package|ERR_[A-Z_]{3,}|EADDRINUSE|EACCES|ENOENT)\b/
const NPM_ERROR = /^npm (?:ERR!|error)\s+(.*)$/
// npm error lines that only point at npm's own log or restate the code.
const NPM_NOISE = /^(?:code\s|errno\s|syscall\s|path\s|A complete log|Log files|\d{3}\s*$|\s*$)/
const GENERIC = /\b(?:error|failed|fatal|exception)\b/i
const STACK_FRAME = /^\s+at\s/
const INTERNAL_FRAME = /\((?:node:|internal\/)|^\s+at\s+(?:node:|internal\/)|node_modules/
const CODE_FRAME_LOCATION = /^(?:file:\/\/)?(?:\/|[A-Za-z]:\\|\.{0,2}\/?[\w@.-]+\/)[^\s:]*:\d+$/
const CARET = /^\s*\^+\s*$/
// Lines that say nothing about the failure: the terminal's exit marker, Node's version footer, `npm run`'s banner
// and its lifecycle report after a script failed (the script's own output says why).
const NOISE =
  /^\[(?:process exited with code -?\d+|stopped)\]$|^Node\.js v\d+|^> |^npm (?:ERR!|error) (?:Lifecycle script|code \d+$|path |workspace |location |command |A complete log|Log files)/

const MAX_LINE = 300

export function errorExcerpt(output: readonly string[], max = 10): ErrorExcerpt {
  const lines = output.map((l) => l.trimEnd()).filter((l) => l.trim() && !NOISE.test(l.trim()))
  const clip = (l: string) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE - 1)}…` : l)

  const js = lastIndex(lines, (l) => JS_ERROR.test(l.trim()))
  if (js >= 0) return jsExcerpt(lines, js, max, clip)
  const npm = lines.findIndex((l) => NPM_ERROR.test(l) && !NPM_NOISE.test(NPM_ERROR.exec(l)![1]!))
  if (npm >= 0) {
    const block = lines.slice(npm).filter((l) => NPM_ERROR.test(l) && !NPM_NOISE.test(NPM_ERROR.exec(l)![1]!))
    return { line: clip(lines[npm]!.trim()), lines: block.slice(0, max).map(clip) }
  }
  const coded = lastIndex(lines, (l) => NODE_CODES.test(l) && !STACK_FRAME.test(l))
  if (coded >= 0) return jsExcerpt(lines, coded, max, clip)
  const generic = lastIndex(lines, (l) => GENERIC.test(l) && !STACK_FRAME.test(l))
  const tail = lines.slice(-max).map(clip)
  return generic >= 0 ? { line: clip(lines[generic]!.trim()), lines: tail } : { lines: tail }
}

/// A JavaScript error: the code frame Node prints above it (when it is the user's file, not node:internal), the
/// error with the lines that continue it ("Require stack:" …), and the first stack frame in the user's code.
function jsExcerpt(lines: readonly string[], at: number, max: number, clip: (l: string) => string): ErrorExcerpt {
  const out: string[] = []
  // Node: "<file>:<line>", the source line, a caret line, then (after a blank) the error.
  for (let i = Math.max(0, at - 3); i < at; i++) {
    if (i + 2 < at && CODE_FRAME_LOCATION.test(lines[i]!.trim()) && CARET.test(lines[i + 2]!) && !lines[i]!.startsWith('node:')) {
      out.push(lines[i]!, lines[i + 1]!, lines[i + 2]!)
      break
    }
  }
  out.push(lines[at]!)
  let i = at + 1
  for (; i < lines.length && !STACK_FRAME.test(lines[i]!) && out.length < max - 1; i++) out.push(lines[i]!)
  const frames = []
  for (; i < lines.length && STACK_FRAME.test(lines[i]!); i++) frames.push(lines[i]!)
  // Frames inside Node or node_modules say nothing the error line did not.
  const own = frames.find((f) => !INTERNAL_FRAME.test(f))
  if (own) out.push(own)
  return { line: clip(lines[at]!.trim()), lines: out.slice(0, max).map(clip) }
}

function lastIndex<T>(items: readonly T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i
  return -1
}
