import { openDB } from 'idb'
import type { IDBPDatabase } from 'idb'
import { LinkIdSchema, VersionNumberSchema } from '@slipway/shared'
import { z } from 'zod'
import type { ShareRecord } from '../../core/shares/ShareLoader.ts'

const ShareRecordSchema = z.object({
  linkId: LinkIdSchema,
  projectName: z.string().max(1000),
  owner: z.string().max(1000).nullable(),
  latest: VersionNumberSchema,
  versions: z.array(VersionNumberSchema).max(1000),
  seenAt: z.string(),
})

/// The share links this browser opened (a database of its own, so the project store's schema is untouched); rows are
/// checked with zod when read.
export class ShareRecords {
  private db: Promise<IDBPDatabase> | undefined

  constructor(private readonly name = 'slipway-shares') {}

  private open() {
    this.db ??= openDB(this.name, 1, {
      blocking: () => void this.db?.then((db) => db.close()).finally(() => (this.db = undefined)),
      upgrade: (db) => void db.createObjectStore('links'),
    })
    return this.db
  }

  async get(linkId: string): Promise<ShareRecord | undefined> {
    const parsed = ShareRecordSchema.safeParse(await (await this.open()).get('links', linkId))
    return parsed.success ? parsed.data : undefined
  }

  async put(record: ShareRecord): Promise<void> {
    await (await this.open()).put('links', ShareRecordSchema.parse(record), record.linkId)
  }

  async delete(linkId: string): Promise<void> {
    await (await this.open()).delete('links', linkId)
  }
}
