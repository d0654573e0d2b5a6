import { z } from 'zod'
import { LIMITS } from '../files/limits.ts'
import { AI_LIMITS } from './limits.ts'

/// The assistant's tools. The server sends their definitions to Claude (the client can't send tools of its own); the
/// browser runs them against the project's Y.Doc and runtime, checking each call's input with these schemas first:
/// a model's tool input is untrusted input like any other. Paths are project paths (`src/main.ts`), checked by the
/// project's path rules (`checkProjectPath`) before anything is read or written.

const ProjectPath = z.string().min(1).max(LIMITS.maxPathBytes).describe('A path relative to the project root, e.g. src/main.ts')

export const ListFilesInput = z.strictObject({
  glob: z
    .string()
    .max(512)
    .optional()
    .describe('A glob over project paths (picomatch, e.g. "src/**/*.ts"); omit to list every file'),
})

export const ReadFileInput = z.strictObject({
  path: ProjectPath,
  start_line: z.number().int().min(1).optional().describe('First line to read, 1-based (default 1)'),
  end_line: z.number().int().min(1).optional().describe(`Last line to read, inclusive (at most ${AI_LIMITS.maxReadLines} lines per call)`),
})

export const SearchInput = z.strictObject({
  query: z.string().min(1).max(1_000).describe('Text to find in the project files'),
  is_regex: z.boolean().optional().describe('Treat query as a JavaScript regular expression'),
  case_sensitive: z.boolean().optional(),
  include: z.string().max(512).optional().describe('Only files matching this glob, e.g. "src/**"'),
})

export const EditFileInput = z.strictObject({
  path: ProjectPath,
  old_text: z
    .string()
    .min(1)
    .max(AI_LIMITS.maxTextChars)
    .describe('Exact text to replace, including whitespace; it must occur exactly once in the file. Include enough surrounding lines to make it unique'),
  new_text: z.string().max(AI_LIMITS.maxTextChars).describe('The text that replaces old_text'),
})

export const CreateFileInput = z.strictObject({
  path: ProjectPath,
  content: z.string().max(LIMITS.maxFileBytes).describe('The whole content of the new file'),
})

export const DeleteFileInput = z.strictObject({ path: ProjectPath })

export const RunCommandInput = z.strictObject({
  command: z.string().min(1).max(2_000).describe('A shell command run in the project folder, e.g. "npm test"'),
  timeout_ms: z
    .number()
    .int()
    .min(1_000)
    .max(AI_LIMITS.commandTimeoutMs)
    .optional()
    .describe(`How long it may run before it is stopped (default and most ${AI_LIMITS.commandTimeoutMs} ms)`),
})

/// Every tool: its input schema and what Claude is told it does.
export const AI_TOOLS = {
  list_files: { input: ListFilesInput, description: 'List the project files (paths, sizes), optionally filtered by a glob.' },
  read_file: {
    input: ReadFileInput,
    description: 'Read a text file of the project, with line numbers, optionally a range of lines.',
  },
  search: { input: SearchInput, description: 'Search the text of the project files; answers matching lines with their paths and line numbers.' },
  edit_file: {
    input: EditFileInput,
    description:
      'Edit a file by exact replacement: old_text must occur exactly once in the file. Prefer several small edits over one large one. Never use it to rewrite a whole file.',
  },
  create_file: { input: CreateFileInput, description: 'Create a new file with the given content. Fails if the file exists: use edit_file for existing files.' },
  delete_file: { input: DeleteFileInput, description: 'Delete a file of the project.' },
  run_command: {
    input: RunCommandInput,
    description:
      'Run a shell command in the project folder (the person may have to approve it first) and answer its exit code and output (cut past a size limit).',
  },
} as const

export type AiToolName = keyof typeof AI_TOOLS
export const AI_TOOL_NAMES = Object.keys(AI_TOOLS) as AiToolName[]
export const AiToolNameSchema = z.enum(AI_TOOL_NAMES as [AiToolName, ...AiToolName[]])
export type AiToolInput<N extends AiToolName> = z.infer<(typeof AI_TOOLS)[N]['input']>
