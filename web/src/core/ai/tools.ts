/// The assistant's tools, run in the browser against the project as the assistant sees it (the files with its staged
/// edits) and the runtime. Every call's input is checked with its zod schema first and every path with the project's
/// path rules; every result is text within `AI_LIMITS.maxToolResultChars`, with project content in data blocks.
import { AI_LIMITS, AI_TOOLS, checkProjectPath, isIgnoredPath } from '@slipway/shared'
import type { AiToolInput, AiToolName } from '@slipway/shared'
import { z } from 'zod'
import { globFilter } from '../search/globs.ts'
import { searchText } from '../search/search.ts'
import { closestMatch, lineAt, occurrences } from './closestMatch.ts'
import { dataResult, numberLines, utf8Length } from './dataBlock.ts'
import type { CommandOutcome } from './commands.ts'
import type { FileRead } from './staging.ts'

/// A change the assistant makes to a file (see `StagedChange`).
export type FileChange = { type: 'replace'; old: string; new: string } | { type: 'create'; content: string } | { type: 'delete' }

/// What the tools need: the files as the assistant sees them, a way to change them, and commands.
export interface ToolHost {
  read(path: string): FileRead
  /// Every file path as the assistant sees it, sorted.
  paths(): string[]
  /// Stages a change for review, or applies it when the person chose to apply edits at once. `applied` says which.
  change(path: string, change: FileChange): { applied: boolean }
  /// Runs a command (asking the person first unless they allowed it).
  runCommand(command: string, timeoutMs: number, signal: AbortSignal): Promise<CommandOutcome>
  /// Files with staged edits the runtime does not have yet.
  stagedCount(): number
}

export interface ToolOutcome {
  /// What the model gets back, at most `AI_LIMITS.maxToolResultChars` characters.
  content: string
  isError: boolean
  /// One line for the person ("Read src/a.ts, lines 1-40").
  summary: string
  /// The file the call was about, when it was about one.
  path?: string
}

const MAX = AI_LIMITS.maxToolResultChars

/// Runs one tool call. Never throws for bad input: the model gets an error result it can act on.
export async function runTool(host: ToolHost, name: string, input: unknown, signal: AbortSignal): Promise<ToolOutcome> {
  if (!(name in AI_TOOLS)) return fail(`There is no tool named "${name}". The tools are: ${Object.keys(AI_TOOLS).join(', ')}.`, `Unknown tool ${name}`)
  const tool = name as AiToolName
  const parsed = AI_TOOLS[tool].input.safeParse(input)
  if (!parsed.success) return fail(`Invalid input for ${tool}:\n${z.prettifyError(parsed.error)}`, `Invalid ${tool} call`)
  switch (tool) {
    case 'list_files':
      return listFiles(host, parsed.data as AiToolInput<'list_files'>)
    case 'read_file':
      return readFile(host, parsed.data as AiToolInput<'read_file'>)
    case 'search':
      return search(host, parsed.data as AiToolInput<'search'>)
    case 'edit_file':
      return editFile(host, parsed.data as AiToolInput<'edit_file'>)
    case 'create_file':
      return createFile(host, parsed.data as AiToolInput<'create_file'>)
    case 'delete_file':
      return deleteFile(host, parsed.data as AiToolInput<'delete_file'>)
    case 'run_command':
      return runCommand(host, parsed.data as AiToolInput<'run_command'>, signal)
  }
}

function fail(content: string, summary: string, path?: string): ToolOutcome {
  return { content: content.length > MAX ? `${content.slice(0, MAX - 1)}…` : content, isError: true, summary, ...(path ? { path } : {}) }
}

/// The path rules every edit follows (`checkProjectPath`: relative, no `..`, never node_modules/.git/build/.env).
function badPath(path: string): ToolOutcome | undefined {
  const check = checkProjectPath(path)
  if (check.ok) return undefined
  const why = check.problem === 'ignored' ? `${check.message}; it lives only in the runtime, so look at it with run_command` : check.message
  return fail(`${path}: ${why}.`, `Refused ${path}: ${check.message}`)
}

function listFiles(host: ToolHost, { glob }: AiToolInput<'list_files'>): ToolOutcome {
  let paths = host.paths()
  if (glob) {
    const filter = globFilter(glob, '')
    if (!filter.ok) return fail(filter.error, `Invalid glob ${glob}`)
    paths = paths.filter(filter.filter)
  }
  const shown = paths.slice(0, AI_LIMITS.maxListedFiles)
  const lines = shown.map((p) => {
    const f = host.read(p)
    return f.kind === 'text' ? `${p} (${utf8Length(f.text)} bytes)` : f.kind === 'binary' ? `${p} (binary, ${f.bytes} bytes)` : p
  })
  const more = paths.length > shown.length ? `; the first ${shown.length} are listed, narrow the glob for the rest` : ''
  const header = `${paths.length} file${paths.length === 1 ? '' : 's'}${glob ? ` matching ${JSON.stringify(glob)}` : ''}${more}.`
  return { content: dataResult(header, 'Files', lines.join('\n'), MAX), isError: false, summary: `Listed ${paths.length} file${paths.length === 1 ? '' : 's'}${glob ? ` (${glob})` : ''}` }
}

function readText(host: ToolHost, path: string): { text: string } | ToolOutcome {
  const bad = badPath(path)
  if (bad) return bad
  const f = host.read(path)
  if (f.kind === 'missing') return fail(`${path} does not exist. list_files shows the project's files.`, `${path} does not exist`, path)
  if (f.kind === 'binary') return fail(`${path} is a binary file (${f.bytes} bytes); its content cannot be read or edited as text.`, `${path} is binary`, path)
  return { text: f.text }
}

function lineCount(text: string): number {
  if (!text) return 0
  const lines = text.split('\n').length
  return text.endsWith('\n') ? lines - 1 : lines
}

function readFile(host: ToolHost, { path, start_line, end_line }: AiToolInput<'read_file'>): ToolOutcome {
  const read = readText(host, path)
  if ('content' in read) return read
  const total = lineCount(read.text)
  if (total === 0) return { content: `${path} is empty.`, isError: false, summary: `Read ${path} (empty)`, path }
  const start = start_line ?? 1
  if (start > total) return fail(`${path} has ${total} line${total === 1 ? '' : 's'}; start_line ${start} is past its end.`, `Read past the end of ${path}`, path)
  if (end_line !== undefined && end_line < start) return fail(`end_line ${end_line} is before start_line ${start}.`, `Invalid range for ${path}`, path)
  let end = Math.min(end_line ?? total, total)
  let note = ''
  if (end - start + 1 > AI_LIMITS.maxReadLines) {
    end = start + AI_LIMITS.maxReadLines - 1
    note = ` At most ${AI_LIMITS.maxReadLines} lines are read at once; read from line ${end + 1} for more.`
  }
  const lines = read.text.split('\n').slice(start - 1, end)
  const header = `${path}, lines ${start}-${end} of ${total}.${note}`
  return {
    content: dataResult(header, path, numberLines(lines, start), MAX, 'read a smaller range of lines'),
    isError: false,
    summary: start === 1 && end === total ? `Read ${path}` : `Read ${path}, lines ${start}-${end}`,
    path,
  }
}

/// Files search looks into: never an ignored path, never text that looks binary (a NUL in its first 8 KB).
const searchable = (path: string, text: string) => !isIgnoredPath(path) && !text.slice(0, 8192).includes('\0')

function search(host: ToolHost, { query, is_regex, case_sensitive, include }: AiToolInput<'search'>): ToolOutcome {
  let filter: ((path: string) => boolean) | undefined
  if (include) {
    const f = globFilter(include, '')
    if (!f.ok) return fail(f.error, `Invalid glob ${include}`)
    filter = f.filter
  }
  const files: Array<[string, string]> = []
  for (const p of host.paths()) {
    const f = host.read(p)
    if (f.kind === 'text' && searchable(p, f.text)) files.push([p, f.text])
  }
  let hits
  try {
    hits = searchText(files, query, { regex: is_regex ?? false, caseSensitive: case_sensitive ?? false, limit: AI_LIMITS.maxSearchMatches + 1, ...(filter ? { filter } : {}) })
  } catch (err) {
    return fail(`Invalid regular expression: ${err instanceof Error ? err.message : String(err)}`, `Invalid search ${query}`)
  }
  if (!hits.length) return { content: `No matches for ${JSON.stringify(query)}${include ? ` in ${include}` : ''}.`, isError: false, summary: `Searched ${JSON.stringify(query)}: no matches` }
  const more = hits.length > AI_LIMITS.maxSearchMatches
  const shown = hits.slice(0, AI_LIMITS.maxSearchMatches)
  const inFiles = new Set(shown.map((h) => h.path)).size
  const header = `${more ? `More than ${AI_LIMITS.maxSearchMatches}` : shown.length} match${shown.length === 1 ? '' : 'es'} in ${inFiles} file${inFiles === 1 ? '' : 's'}${more ? `; the first ${shown.length} are shown, narrow the search for the rest` : ''}.`
  const body = shown.map((h) => `${h.path}:${h.line}: ${h.preview}`).join('\n')
  return { content: dataResult(header, 'Matches', body, MAX), isError: false, summary: `Searched ${JSON.stringify(query)}: ${more ? `${AI_LIMITS.maxSearchMatches}+` : shown.length} matches` }
}

const outcomeOf = (applied: boolean) => (applied ? 'applied' : "staged for the person's review")

/// Numbered lines around [from, to] (1-based) of `text`, a few lines of context either side.
function excerpt(text: string, from: number, to: number, context = 3): { first: number; body: string } {
  const lines = text.split('\n')
  const first = Math.max(1, from - context)
  const last = Math.min(lines.length, to + context)
  return { first, body: numberLines(lines.slice(first - 1, last), first) }
}

function editFile(host: ToolHost, { path, old_text, new_text }: AiToolInput<'edit_file'>): ToolOutcome {
  const read = readText(host, path)
  if ('content' in read) return read
  if (old_text === new_text) return fail('old_text and new_text are the same: nothing to change.', `No change to ${path}`, path)
  const found = occurrences(read.text, old_text, 20)
  if (found.length > 1) {
    const lines = [...new Set(found.map((at) => lineAt(read.text, at)))]
    const where = lines.length === 1 ? `all on line ${lines[0]}` : `at lines ${lines.join(', ')}`
    return fail(
      `old_text occurs ${found.length === 20 ? '20 or more' : found.length} times in ${path} (${where}). Include more of the surrounding lines so it occurs exactly once.`,
      `Edit of ${path} was ambiguous`,
      path,
    )
  }
  if (!found.length) {
    const near = closestMatch(read.text, old_text)
    if (!near) return fail(`old_text was not found in ${path}, and no part of it looks similar. Read the file (read_file) and copy old_text exactly.`, `Edit of ${path} did not match`, path)
    const { first, body } = excerpt(read.text, near.startLine, near.endLine, 2)
    const how = near.whitespaceOnly ? 'it differs only in whitespace, such as indentation' : `${Math.round(near.similarity * 100)}% similar`
    const span = near.startLine === near.endLine ? `line ${near.startLine}` : `lines ${near.startLine}-${near.endLine}`
    const header = `old_text was not found in ${path}. The most similar part is ${span} (${how}), shown below with line numbers from ${first}. Copy old_text exactly from the file, without the line numbers, and try again.`
    // The person sees where the model was pointed too (the model gets the lines themselves).
    return fail(dataResult(header, `${path} (closest match)`, body, MAX), `Edit of ${path} did not match (closest: ${span}, ${near.whitespaceOnly ? 'whitespace differs' : how})`, path)
  }
  const { applied } = host.change(path, { type: 'replace', old: old_text, new: new_text })
  const at = found[0]!
  const startLine = lineAt(read.text, at)
  const oldLines = old_text.split('\n').length
  const newLines = new_text.split('\n').length
  const after = read.text.slice(0, at) + new_text + read.text.slice(at + old_text.length)
  const { first, body } = excerpt(after, startLine, startLine + newLines - 1)
  const header = `Edited ${path}: line${oldLines === 1 ? ` ${startLine}` : `s ${startLine}-${startLine + oldLines - 1}`} replaced by ${newLines} line${newLines === 1 ? '' : 's'} (${outcomeOf(applied)}). The file around the edit now, from line ${first}:`
  return { content: dataResult(header, path, body, MAX), isError: false, summary: `Edited ${path}${applied ? '' : ' (staged)'}`, path }
}

function createFile(host: ToolHost, { path, content }: AiToolInput<'create_file'>): ToolOutcome {
  const bad = badPath(path)
  if (bad) return bad
  if (host.read(path).kind !== 'missing') return fail(`${path} already exists. Change it with edit_file (whole-file rewrites are only for new files).`, `${path} already exists`, path)
  const segments = path.split('/')
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/')
    if (host.read(parent).kind !== 'missing') return fail(`${parent} is a file, so ${path} cannot be made inside it.`, `${parent} is a file`, path)
  }
  if (host.paths().some((p) => p.startsWith(`${path}/`))) return fail(`${path} is a folder.`, `${path} is a folder`, path)
  const { applied } = host.change(path, { type: 'create', content })
  const lines = lineCount(content)
  return { content: `Created ${path} (${lines} line${lines === 1 ? '' : 's'}; ${outcomeOf(applied)}).`, isError: false, summary: `Created ${path}${applied ? '' : ' (staged)'}`, path }
}

function deleteFile(host: ToolHost, { path }: AiToolInput<'delete_file'>): ToolOutcome {
  const read = readText(host, path)
  if ('content' in read) return read
  const { applied } = host.change(path, { type: 'delete' })
  return { content: `Deleted ${path} (${outcomeOf(applied)}).`, isError: false, summary: `Deleted ${path}${applied ? '' : ' (staged)'}`, path }
}

async function runCommand(host: ToolHost, { command, timeout_ms }: AiToolInput<'run_command'>, signal: AbortSignal): Promise<ToolOutcome> {
  const timeout = timeout_ms ?? AI_LIMITS.commandTimeoutMs
  const outcome = await host.runCommand(command, timeout, signal)
  switch (outcome.kind) {
    case 'denied':
      return fail(`The person did not allow running \`${command}\`${outcome.message ? `: ${outcome.message}` : '.'}`, `Denied: ${command}`)
    case 'failed':
      return fail(`\`${command}\` could not be run: ${outcome.message}`, `Could not run ${command}`)
    case 'done': {
      const how = outcome.stopped
        ? 'was stopped by the person'
        : outcome.timedOut
          ? `was stopped after its timeout of ${Math.round(timeout / 1000)} s (exit code ${outcome.exitCode})`
          : `exited with code ${outcome.exitCode}`
      const staged = host.stagedCount()
      const note = staged ? ` Note: ${staged} file${staged === 1 ? ' has' : 's have'} staged edits the person has not accepted yet; the command ran without them.` : ''
      const cut = outcome.cutBytes ? ` ${outcome.cutBytes} bytes of its output were cut from the middle.` : ''
      const header = `\`${command}\` ${how}.${cut}${note}`
      const summary = `Ran ${command}: ${outcome.stopped ? 'stopped' : outcome.timedOut ? 'timed out' : `exit ${outcome.exitCode}`}`
      if (!outcome.output.trim()) return { content: `${header} It printed nothing.`, isError: false, summary }
      return { content: dataResult(header, 'Output', outcome.output, MAX), isError: false, summary }
    }
  }
}

