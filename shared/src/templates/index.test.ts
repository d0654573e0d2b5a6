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

test('the React template brings React\'s types, so hover and completion know React (issue 16 item 6)', () => {
  const pkg = JSON.parse(TEMPLATES['vite-react'].files['package.json']!) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }
  const major = (range: string) => range.replace(/^\D+/, '').split('.')[0]
  expect(major(pkg.devDependencies['@types/react']!)).toBe(major(pkg.dependencies.react!))
  expect(major(pkg.devDependencies['@types/react-dom']!)).toBe(major(pkg.dependencies['react-dom']!))
})
