import { expect, test } from 'vitest'
import { canFormat, extensionOf, isScriptPath, languageForPath, languageIds } from './languages.ts'

test.each([
  ['src/main.ts', 'typescript'],
  ['src/App.tsx', 'typescript'],
  ['vite.config.mts', 'typescript'],
  ['index.js', 'javascript'],
  ['App.jsx', 'javascript'],
  ['server.mjs', 'javascript'],
  ['legacy.cjs', 'javascript'],
  ['package.json', 'json'],
  ['.vscode/settings.jsonc', 'json'],
  ['.babelrc', 'json'],
  ['styles/app.css', 'css'],
  ['a.scss', 'scss'],
  ['a.less', 'less'],
  ['index.html', 'html'],
  ['README.md', 'markdown'],
  ['docs/page.mdx', 'mdx'],
  ['.github/workflows/ci.yml', 'yaml'],
  ['config.yaml', 'yaml'],
  ['scripts/run.sh', 'shell'],
  ['main.py', 'python'],
  ['Dockerfile', 'dockerfile'],
  ['docker/Dockerfile.dev', 'dockerfile'],
  ['Cargo.toml', 'ini'],
  ['.npmrc', 'ini'],
  ['logo.svg', 'xml'],
  ['schema.graphql', 'graphql'],
  ['notes.txt', 'plaintext'],
  ['LICENSE', 'plaintext'],
  ['.gitignore', 'plaintext'],
  ['strange.zzz', 'plaintext'],
  ['api.proto', 'proto'],
  ['Token.sol', 'sol'],
  ['UPPER.TS', 'typescript'],
])('%s → %s', (path, language) => {
  expect(languageForPath(path)).toBe(language)
})

test('extensions, script files and formatters', () => {
  expect(extensionOf('a/b.c/d')).toBe('')
  expect(extensionOf('.env')).toBe('')
  expect(extensionOf('x.D.TS')).toBe('ts')
  expect(['a.ts', 'a.d.ts', 'b.tsx', 'c.mjs', 'd.cts', 'e.jsx'].every(isScriptPath)).toBe(true)
  expect(['a.json', 'a.css', 'a.md', 'ts', 'a.ts.bak'].some(isScriptPath)).toBe(false)
  expect(canFormat('typescript') && canFormat('json') && canFormat('css') && canFormat('html')).toBe(true)
  expect(canFormat('markdown') || canFormat('python')).toBe(false)
})

test('monacoLanguages.ts registers exactly the languages languageForPath answers', async () => {
  const { readFile } = await import('node:fs/promises')
  const source = await readFile(new URL('./monacoLanguages.ts', import.meta.url), 'utf8')
  const folders = [...source.matchAll(/^import 'monaco-editor\/languages\/definitions\/([\w-]+)\/register'$/gm)].map((m) => m[1])
  // Monaco's definition folders whose ids differ from the folder name; json comes with its language service and
  // plaintext is built in.
  const idsOf: Record<string, string[]> = { cpp: ['c', 'cpp'], protobuf: ['proto'], solidity: ['sol'] }
  const registered = folders.flatMap((f) => idsOf[f!] ?? [f!]).concat('json', 'plaintext').sort()
  expect(registered).toEqual(languageIds())
})
