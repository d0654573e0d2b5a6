import { expect, test } from 'vitest'
import { forkedFromLine, projectMeta } from './projectMeta.ts'

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString()

test.each([
  ['a template project of this device', { template: 'node-script', origin: 'local', updatedAt: at(0) }, undefined, 'Node.js script · this device · just now'],
  ['a template project of the account', { template: 'vite-react', origin: 'server', updatedAt: at(5) }, undefined, 'Vite + React · synced · 5 min ago'],
  // An upload (or a project from another device) has no template: the server's file list says what it holds.
  ['an uploaded project, count known', { template: null, origin: 'server', updatedAt: at(120) }, 3, '3 files · synced · 2 h ago'],
  ['one file', { template: null, origin: 'server', updatedAt: at(1) }, 1, '1 file · synced · 1 min ago'],
  ['the server holds no file', { template: null, origin: 'server', updatedAt: at(1) }, 0, 'Empty · synced · 1 min ago'],
  // Not "Empty": nobody knows yet (loading, offline).
  ['count unknown', { template: null, origin: 'server', updatedAt: at(1) }, undefined, 'synced · 1 min ago'],
] as const)('%s → %s', (_name, entry, files, meta) => {
  expect(projectMeta(entry, files, NOW)).toBe(meta)
})

test.each([
  // A fork made by the server (signed in) or in this browser (anonymous): the source's name travels with it.
  ['the source name known', { linkId: 'AbCdEfGhIjKlMnOpQrStUv', version: 3, projectName: 'Todo app' }, 'Forked from “Todo app” v3'],
  // A fork from before the name was recorded.
  ['only the link', { linkId: 'AbCdEfGhIjKlMnOpQrStUv', version: 1 }, 'Forked from shared link AbCdEfGh… v1'],
  ['an empty name reads as unknown', { linkId: 'AbCdEfGhIjKlMnOpQrStUv', version: 2, projectName: '' }, 'Forked from shared link AbCdEfGh… v2'],
])('forked from: %s → %s', (_name, from, line) => {
  expect(forkedFromLine(from)).toBe(line)
})
