import { expect, test } from 'vitest'
import { languageName } from './languageNames.ts'

test.each([
  ['typescript', 'TypeScript'],
  ['javascript', 'JavaScript'],
  ['plaintext', 'Plain Text'],
  ['json', 'JSON'],
  ['rust', 'Rust'],
  ['', 'Plain Text'],
])('%j → %s', (id, name) => {
  expect(languageName(id)).toBe(name)
})
