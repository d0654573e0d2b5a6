/// Storage quotas: what one account may make the server keep. Every stored byte counts, history included (a
/// project's update log holds every edit until compaction drops deleted content). Pure: callers bring the counts
/// they read under the locks of the transaction that will store the bytes.

export interface Quotas {
  /// Projects one account may own.
  maxProjectsPerUser: number
  /// Bytes of one project's update log (its files and their history).
  maxProjectHistoryBytes: number
  /// Bytes of all of one account's update logs together.
  maxUserBytes: number
}

const MiB = 1024 * 1024

/// Generous for real use: a project may hold 50 MB of files (`LIMITS.maxProjectBytes`), so its history may hold
/// five times that before compaction catches up.
export const DEFAULT_QUOTAS: Quotas = {
  maxProjectsPerUser: 200,
  maxProjectHistoryBytes: 256 * MiB,
  maxUserBytes: 2048 * MiB,
}

export type QuotaName = 'projects_per_user' | 'project_history_bytes' | 'user_bytes'

export type QuotaVerdict = { ok: true } | { ok: false; quota: QuotaName; max: number; current: number; message: string }

const mb = (bytes: number) => `${Math.round(bytes / MiB)} MB`

/// Whether a push adding `bytes` to a project's log fits. A push that only deletes always fits: it is tiny, and it is
/// how a person gets back under a quota (compaction then drops what it deleted).
export function checkStorage(
  stored: { projectLogBytes: number; userBytes: number },
  push: { bytes: number; deletesOnly: boolean },
  quotas: Quotas,
): QuotaVerdict {
  if (push.deletesOnly) return { ok: true }
  if (stored.projectLogBytes + push.bytes > quotas.maxProjectHistoryBytes) {
    return {
      ok: false,
      quota: 'project_history_bytes',
      max: quotas.maxProjectHistoryBytes,
      current: stored.projectLogBytes,
      message: `This project's stored files and history have reached the server's ${mb(quotas.maxProjectHistoryBytes)} limit. Delete files you no longer need (the server then compacts the history), or move large files out of the project.`,
    }
  }
  if (stored.userBytes + push.bytes > quotas.maxUserBytes) {
    return {
      ok: false,
      quota: 'user_bytes',
      max: quotas.maxUserBytes,
      current: stored.userBytes,
      message: `Your projects together have reached this server's ${mb(quotas.maxUserBytes)} storage limit. Delete projects or files you no longer need.`,
    }
  }
  return { ok: true }
}

/// Whether an account owning `owned` projects and storing `userBytes` may create one more holding `bytes`.
export function checkNewProject(stored: { owned: number; userBytes: number }, bytes: number, quotas: Quotas): QuotaVerdict {
  if (stored.owned >= quotas.maxProjectsPerUser) {
    return {
      ok: false,
      quota: 'projects_per_user',
      max: quotas.maxProjectsPerUser,
      current: stored.owned,
      message: `You have ${stored.owned} projects, this server's limit. Delete a project you no longer need to create another.`,
    }
  }
  return checkStorage({ projectLogBytes: 0, userBytes: stored.userBytes }, { bytes, deletesOnly: false }, quotas)
}
