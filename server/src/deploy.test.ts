import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'

// docker-compose.yml and server/Dockerfile cannot be run here (no Docker engine); check what can be checked.
const root = fileURLToPath(new URL('../..', import.meta.url))
const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0
if (!hasCompose && process.env.CI) throw new Error('CI requires docker-compose (apt-get install -y docker-compose)')

interface Compose {
  services: Record<string, { image?: string; build?: { context: string; dockerfile: string }; environment?: Record<string, string>; volumes?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> }>
  volumes: Record<string, unknown>
}

describe.skipIf(!hasCompose)(`docker-compose.yml${hasCompose ? '' : ' (skipped: docker-compose is not installed)'}`, () => {
  const compose = () =>
    parse(execFileSync('docker-compose', ['-f', `${root}/docker-compose.yml`, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH } })) as Compose

  test('is valid and wires the server to Postgres 16 with a volume and a healthcheck', () => {
    const { services, volumes } = compose()
    const db = services.db!
    expect(db.image).toMatch(/^postgres:16/)
    expect(db.volumes?.some((v) => v.startsWith('pgdata:/var/lib/postgresql/data'))).toBe(true)
    expect(volumes).toHaveProperty('pgdata')
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready')
    const server = services.server!
    expect(server.build?.dockerfile).toBe('server/Dockerfile')
    expect(server.depends_on?.db?.condition).toBe('service_healthy')
    expect(server.environment?.DATABASE_URL).toMatch(/^postgres:\/\/slipway:[^@]+@db:5432\/slipway$/)
  })
})

test('the Dockerfile is multi-stage, uses pnpm, runs as a non-root user and ships only production files', () => {
  const dockerfile = readFileSync(`${root}/server/Dockerfile`, 'utf8')
  const stages = dockerfile.match(/^FROM .+$/gm) ?? []
  expect(stages.length).toBeGreaterThanOrEqual(2)
  expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/)
  expect(dockerfile).toMatch(/deploy --legacy --prod/)
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  expect(runtime).toMatch(/^USER (node|\d{3,})$/m)
  expect(runtime).not.toMatch(/pnpm install|COPY \. /)
  // The local runtime agent is a package of its own (npx @slipway/runtime-agent), never part of the server's image;
  // the frozen install works without its manifest (its workspace link just dangles).
  expect(dockerfile).not.toMatch(/runtime-agent/)
  // The runtime stage needs exactly what `start` runs: the bundle, its migrations and the SPA.
  const pkg = JSON.parse(readFileSync(`${root}/server/package.json`, 'utf8')) as { files: string[] }
  expect(pkg.files.sort()).toEqual(['dist', 'drizzle', 'package.json'])
})
