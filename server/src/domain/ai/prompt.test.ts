import type { AiMessage } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import { DATA_TAG_PREFIX, TOOL_DEFINITIONS, buildRequest, contextText } from './prompt.ts'

const user = (text: string): AiMessage => ({ role: 'user', content: [{ type: 'text', text }] })
const assistantCall = (id: string): AiMessage => ({ role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id, name: 'read_file', input: { path: 'a.ts' } }] })
const result = (id: string): AiMessage => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'x' }] })

const marks = (req: ReturnType<typeof buildRequest>) =>
  [...req.tools, ...req.system, ...req.messages.flatMap((m) => m.content)].filter((b) => 'cache_control' in b && b.cache_control).length

describe('buildRequest', () => {
  test('tools from the shared schemas, as JSON Schema without a $schema key', () => {
    expect(TOOL_DEFINITIONS.map((t) => t.name)).toEqual(['list_files', 'read_file', 'search', 'edit_file', 'create_file', 'delete_file', 'run_command'])
    for (const t of TOOL_DEFINITIONS) {
      expect(t.input_schema).toMatchObject({ type: 'object', additionalProperties: false })
      expect(t.input_schema).not.toHaveProperty('$schema')
    }
    expect(TOOL_DEFINITIONS.find((t) => t.name === 'edit_file')!.input_schema).toMatchObject({ required: ['path', 'old_text', 'new_text'] })
  })

  test.each([1, 2, 3, 5, 9, 41])('never more than the API’s four cache breakpoints (%i messages)', (n) => {
    const messages: AiMessage[] = [user('q')]
    for (let i = 1; messages.length < n; i++) messages.push(assistantCall(`toolu_${i}`), result(`toolu_${i}`))
    const req = buildRequest('m', messages.slice(0, n % 2 === 0 ? n + 1 : n))
    expect(marks(req)).toBeLessThanOrEqual(4)
    expect(req.messages.at(-1)!.content.at(-1)).toHaveProperty('cache_control')
  })

  test('empty text blocks are left out; a message with nothing else is refused', () => {
    const req = buildRequest('m', [{ role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'hi' }] }])
    expect(req.messages[0]!.content).toEqual([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }])
    expect(() => buildRequest('m', [user('')])).toThrow(/Message 1 has no content/)
  })

  test('context goes before the text of the person’s latest message, never into a tool-result message', () => {
    const context = [{ kind: 'selection' as const, label: 'src/a.ts:3-4', text: 'let x' }]
    const req = buildRequest('m', [user('first'), assistantCall('toolu_1'), result('toolu_1'), assistantCall('toolu_2'), result('toolu_2')], context)
    expect(req.messages[0]!.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('let x') })
    expect(req.messages[4]!.content.every((b) => b.type === 'tool_result')).toBe(true)
  })

  test('in a message that opens with tool results and then has the person’s text, context goes after the results', () => {
    const mixed: AiMessage = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }, { type: 'text', text: 'and also this' }] }
    const req = buildRequest('m', [user('first'), assistantCall('toolu_1'), mixed], [{ kind: 'file', label: 'a.ts', text: 'one' }])
    expect(req.messages[2]!.content.map((b) => b.type)).toEqual(['tool_result', 'text', 'text'])
    expect(req.messages[2]!.content[1]).toMatchObject({ text: expect.stringContaining('one') })
  })
})

describe('contextText', () => {
  test('the same context gives the same bytes; other context another tag', () => {
    const a = [{ kind: 'file' as const, label: 'a.ts', text: 'one' }]
    expect(contextText(a)).toBe(contextText(a))
    const tagOf = (s: string) => new RegExp(`${DATA_TAG_PREFIX}[0-9a-f]{16}`).exec(s)![0]
    expect(tagOf(contextText(a))).not.toBe(tagOf(contextText([{ ...a[0]!, text: 'two' }])))
  })

  test('content is kept byte for byte (the model copies old_text from it); labels are escaped', () => {
    const text = 'if (a < b && c > "d") {\n\t</x>\n}'
    const out = contextText([{ kind: 'file', label: 'we<ird>&"name\n.ts', text }])
    expect(out).toContain(`\n${text}\n`)
    expect(out).toContain('label="we&lt;ird&gt;&amp;&quot;name .ts"')
  })
})
