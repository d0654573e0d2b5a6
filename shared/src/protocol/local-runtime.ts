import { z } from 'zod'

/// The local runtime's wire protocol: one WebSocket per IDE tab to the agent on the user's machine
/// (`ws://127.0.0.1:<port>/runtime?token=<token>`). The client sends requests with an `id` and gets one response per
/// request; the agent also pushes events (process output, exits, watch events, ports). Every frame is JSON and is
/// checked with these schemas on both ends.

export const LOCAL_RUNTIME_PATH = '/runtime'

/// Binary file contents travel base64-encoded; text as UTF-8 strings.
export const EncodingSchema = z.enum(['utf-8', 'base64'])

const Path = z.string().min(1).max(4096)
const Size = z.number().int().min(1).max(1000)

/// A tree to mount, WebContainer-shaped; file contents are strings in `encoding`.
export type WireTree = { [name: string]: { file: { contents: string; encoding: 'utf-8' | 'base64' } } | { directory: WireTree } }
export const WireTreeSchema: z.ZodType<WireTree> = z.lazy(() =>
  z.record(
    z.string().min(1).max(255),
    z.union([
      z.strictObject({ file: z.strictObject({ contents: z.string(), encoding: EncodingSchema }) }),
      z.strictObject({ directory: WireTreeSchema }),
    ]),
  ),
)

export const RequestSchema = z.discriminatedUnion('type', [
  /// Opens (creating if needed) the project's working folder; must come first.
  z.strictObject({ id: z.number().int(), type: z.literal('open'), project: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  z.strictObject({ id: z.number().int(), type: z.literal('mount'), tree: WireTreeSchema }),
  z.strictObject({ id: z.number().int(), type: z.literal('readFile'), path: Path, encoding: EncodingSchema }),
  z.strictObject({ id: z.number().int(), type: z.literal('writeFile'), path: Path, data: z.string(), encoding: EncodingSchema }),
  z.strictObject({ id: z.number().int(), type: z.literal('mkdir'), path: Path, recursive: z.boolean() }),
  z.strictObject({ id: z.number().int(), type: z.literal('rm'), path: Path, recursive: z.boolean(), force: z.boolean() }),
  z.strictObject({ id: z.number().int(), type: z.literal('rename'), from: Path, to: Path }),
  z.strictObject({ id: z.number().int(), type: z.literal('readdir'), path: Path }),
  z.strictObject({ id: z.number().int(), type: z.literal('watch'), path: Path }),
  z.strictObject({ id: z.number().int(), type: z.literal('unwatch'), watchId: z.number().int() }),
  z.strictObject({
    id: z.number().int(),
    type: z.literal('spawn'),
    command: z.string().min(1).max(4096),
    args: z.array(z.string().max(65536)).max(1000),
    cwd: Path.optional(),
    env: z.record(z.string(), z.string()).optional(),
    terminal: z.strictObject({ cols: Size, rows: Size }).optional(),
  }),
  z.strictObject({ id: z.number().int(), type: z.literal('input'), pid: z.number().int(), data: z.string() }),
  z.strictObject({ id: z.number().int(), type: z.literal('resize'), pid: z.number().int(), cols: Size, rows: Size }),
  z.strictObject({ id: z.number().int(), type: z.literal('kill'), pid: z.number().int() }),
  z.strictObject({ id: z.number().int(), type: z.literal('teardown') }),
])
export type RuntimeRequest = z.infer<typeof RequestSchema>

export const DirEntrySchema = z.object({ name: z.string(), kind: z.enum(['file', 'directory']) })

/// Error codes the agent answers with; `ENOENT`-style file-system codes pass through as `fs_error` with `errno`.
export const RuntimeErrorCodeSchema = z.enum(['bad_request', 'path_refused', 'not_open', 'no_such_process', 'fs_error', 'spawn_failed', 'internal'])

export const ResponseSchema = z.union([
  z.strictObject({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({
    type: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(false),
    error: z.strictObject({ code: RuntimeErrorCodeSchema, message: z.string(), errno: z.string().optional() }),
  }),
])

/// Results by request type.
export const ResultSchemas = {
  open: z.object({ root: z.string() }),
  readFile: z.object({ data: z.string() }),
  readdir: z.object({ entries: z.array(DirEntrySchema) }),
  watch: z.object({ watchId: z.number().int() }),
  spawn: z.object({ pid: z.number().int() }),
} as const

export const EventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('output'), pid: z.number().int(), data: z.string() }),
  z.strictObject({ type: z.literal('exit'), pid: z.number().int(), code: z.number().int() }),
  z.strictObject({ type: z.literal('watch'), watchId: z.number().int(), event: z.enum(['change', 'rename']), path: z.string() }),
  /// A port a spawned process listens on; `url` is its preview origin on the agent (a loopback origin of its own).
  z.strictObject({ type: z.literal('port'), port: z.number().int(), state: z.enum(['open', 'close']), url: z.string() }),
  z.strictObject({ type: z.literal('server-ready'), port: z.number().int(), url: z.string() }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
])
export type RuntimeEvent = z.infer<typeof EventSchema>

export const ServerMessageSchema = z.union([ResponseSchema, EventSchema])
export type ServerMessage = z.infer<typeof ServerMessageSchema>

/// Where the agent's preview proxy serves the preview console script (./preview-console-script.ts) on every preview
/// origin; it loads it first in every HTML page it proxies.
export const PREVIEW_CONSOLE_PATH = '/__slipway/preview-console.js'
