/// The line under a project's name on the dashboard: what it holds, where it lives, when it was last used. Pure.
import { TEMPLATES } from '@slipway/shared'
import type { ForkedFrom } from '@slipway/shared'
import type { ProjectEntry } from '../../core/projects/ProjectLibrary.ts'

/// `files`: how many files the server holds (`LibraryState.fileCounts`), for a project without a template; leave it
/// undefined while unknown, and the line says nothing about the contents rather than guess.
export function projectMeta(p: Pick<ProjectEntry, 'template' | 'origin' | 'updatedAt'>, files: number | undefined, now: number): string {
  const contents = p.template ? TEMPLATES[p.template].title : files === undefined ? undefined : files === 0 ? 'Empty' : files === 1 ? '1 file' : `${files} files`
  const where = p.origin === 'local' ? 'this device' : 'synced'
  return [contents, where, relativeTime(p.updatedAt, now)].filter(Boolean).join(' · ')
}

export function relativeTime(iso: string, now: number): string {
  const s = (now - Date.parse(iso)) / 1000
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return new Date(iso).toLocaleDateString()
}

/// "Forked from “Todo app” v3", or, when the source's name is not known (a fork made by an older server),
/// "Forked from shared link AbCdEfGh… v3".
export function forkedFromLine(forkedFrom: ForkedFrom): string {
  const source = forkedFrom.projectName ? `“${forkedFrom.projectName}”` : `shared link ${forkedFrom.linkId.slice(0, 8)}…`
  return `Forked from ${source} v${forkedFrom.version}`
}
