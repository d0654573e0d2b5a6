import { expect, test } from 'vitest'
import { findSecrets } from './secrets.ts'

// Built at runtime so this file itself holds nothing a scanner would flag.
const k = (...parts: string[]) => parts.join('')
const rand = 'a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV'

test.each([
  ['private key (PKCS#8)', k('-----BEGIN ', 'PRIVATE KEY-----\nMIIEv...\n'), 1, 'private_key'],
  ['RSA private key after a line', k('x\n-----BEGIN RSA ', 'PRIVATE KEY-----'), 2, 'private_key'],
  ['OpenSSH private key', k('-----BEGIN OPENSSH ', 'PRIVATE KEY-----'), 1, 'private_key'],
  ['PGP private key block', k('-----BEGIN PGP ', 'PRIVATE KEY BLOCK-----'), 1, 'private_key'],
  ['OpenAI key in code', k('const key = "sk-', rand, '"'), 1, 'openai_key'],
  ['OpenAI project key', k('OPENAI_API_KEY=sk-proj-', rand), 1, 'openai_key'],
  ['Anthropic key', k('ANTHROPIC_API_KEY=sk-ant-api03-', rand, rand), 1, 'anthropic_key'],
  ['AWS access key id', k('aws_access_key_id = AKIA', 'Z7QX3WPLMN4R2T5K'), 1, 'aws_access_key'],
  ['AWS temporary key id', k('ASIA', 'Z7QX3WPLMN4R2T5K'), 1, 'aws_access_key'],
  ['GitHub classic token', k('token: ghp_', rand, 'wxyz'), 1, 'github_token'],
  ['GitHub fine-grained token', k('github_pat_', rand, '_', rand), 1, 'github_token'],
  ['Slack bot token', k('SLACK=xoxb-', '123456789012-1234567890123-', rand), 1, 'slack_token'],
  ['.npmrc auth token', k('//registry.npmjs.org/:_authToken=', 'npm_', rand, 'abcd'), 1, 'npm_token'],
  ['.npmrc legacy auth', k('_auth = "dXNlcjpwYXNzd29yZDEyMzQ1Ng=="'), 1, 'npm_token'],
  ['npm token in a script', k('echo npm_', rand, 'abcd'), 1, 'npm_token'],
])('finds %s', (_name, text, line, kind) => {
  expect(findSecrets(text)).toEqual([{ line, kind }])
})

test.each([
  ['a README that mentions sk-', 'Set your key (it starts with sk-) in .env, never in code.'],
  ['a placeholder key', k('OPENAI_API_KEY=sk-', 'your-api-key-goes-here-please')],
  ['a repeated placeholder', k('sk-', 'x'.repeat(40))],
  ['AWS documentation example', k('AKIA', 'IOSFODNN7EXAMPLE')],
  ['AWS placeholder', k('AKIA', 'XXXXXXXXXXXXXXXX')],
  ['a word ending in sk-', k('mask-', rand)],
  ['ghp_ too short', 'ghp_abc123'],
  ['.npmrc with an env reference', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}'],
  ['a public key', k('-----BEGIN ', 'PUBLIC KEY-----')],
  ['a certificate', k('-----BEGIN ', 'CERTIFICATE-----')],
  ['a CSS class', '.xoxb-title { color: red }'],
  ['empty text', ''],
  ['ordinary code', 'export function task(sk) { return sk - 1 }\nconst ASIA = "continent"'],
])('ignores %s', (_name, text) => {
  expect(findSecrets(text)).toEqual([])
})

test('one finding per line, every line, capped', () => {
  const line = k('a = "sk-', rand, '" // ghp_', rand, 'wxyz')
  expect(findSecrets([line, 'ok', line].join('\n'))).toEqual([
    { line: 1, kind: 'openai_key' },
    { line: 3, kind: 'openai_key' },
  ])
  expect(findSecrets(Array(10).fill(line).join('\n'), 4)).toHaveLength(4)
})
