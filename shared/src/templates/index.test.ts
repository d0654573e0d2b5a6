import { expect, test } from 'vitest'
import { checkProjectPath } from '../files/paths.ts'
import { TEMPLATES, TEMPLATE_IDS } from './index.ts'

test.each(TEMPLATE_IDS)('%s: valid paths and a package.json with a runnable script', (id) => {
  const t = TEMPLATES[id]
  expect(t.id).toBe(id)
  for (const path of Object.keys(t.files)) expect(checkProjectPath(path), path).toEqual({ ok: true })
  const pkg = JSON.parse(t.files['package.json']!) as { scripts: Record<string, string> }
  expect(pkg.scripts.dev ?? pkg.scripts.start).toBeTruthy()
})

test('the server templates serve on a port', () => {
  expect(TEMPLATES['node-server'].files['server.js']).toMatch(/listen\(port/)
  for (const id of ['vite-react', 'vite-vanilla-ts'] as const) {
    expect(JSON.parse(TEMPLATES[id].files['package.json']!).scripts.dev).toBe('vite')
  }
})
