import { COEP_META_NAME, DEFAULT_COEP } from '@slipway/shared'
import { describe, expect, test } from 'vitest'
import { coepFromMetaContent, localRuntimeCommand, readAppEnv, readCoep, type MetaSource } from './env.ts'

/// A document holding only `<meta name=… content=…>` tags.
function fakeDocument(metas: Record<string, string>): MetaSource {
  return {
    querySelector(selectors) {
      const name = /^meta\[name="([^"]+)"\]$/.exec(selectors)?.[1]
      const content = name === undefined ? undefined : metas[name]
      return content === undefined ? null : { getAttribute: (attr) => (attr === 'content' ? content : null) }
    },
  }
}

describe('coepFromMetaContent', () => {
  test.each([
    ['require-corp', 'require-corp'],
    ['credentialless', 'credentialless'],
    ['  credentialless\n', 'credentialless'],
    ['', DEFAULT_COEP],
    ['unsafe-none', DEFAULT_COEP],
    ['Credentialless', DEFAULT_COEP],
    [null, DEFAULT_COEP],
    [undefined, DEFAULT_COEP],
  ] as const)('%j → %s', (content, expected) => {
    expect(coepFromMetaContent(content)).toBe(expected)
  })
})

describe('readCoep', () => {
  test('reads the meta tag the server writes', () => {
    expect(readCoep(fakeDocument({ [COEP_META_NAME]: 'credentialless' }))).toBe('credentialless')
  })

  test('falls back to the default without the tag', () => {
    expect(readCoep(fakeDocument({ description: 'credentialless' }))).toBe(DEFAULT_COEP)
  })
})

describe('readAppEnv', () => {
  test('reports isolation only when the page says so', () => {
    const document = fakeDocument({ [COEP_META_NAME]: 'require-corp' })
    expect(readAppEnv({ document, crossOriginIsolated: true, location: { origin: 'https://ide.example.com' } })).toEqual({
      coep: 'require-corp',
      crossOriginIsolated: true,
      origin: 'https://ide.example.com',
    })
    expect(readAppEnv({ document })).toEqual({ coep: 'require-corp', crossOriginIsolated: false, origin: '' })
  })
})

describe('localRuntimeCommand', () => {
  test.each([
    ['https://ide.example.com', 'npx @slipway/runtime-agent --origin https://ide.example.com'],
    ['http://localhost:3000', 'npx @slipway/runtime-agent --origin http://localhost:3000'],
    ['', 'npx @slipway/runtime-agent --origin <this page’s origin>'],
    ['null', 'npx @slipway/runtime-agent --origin <this page’s origin>'],
  ])('%j → %s', (origin, command) => {
    expect(localRuntimeCommand(origin)).toBe(command)
  })
})
