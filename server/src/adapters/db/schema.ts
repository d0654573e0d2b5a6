import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/// Facts about this installation (one row per key), e.g. `instance_id` written at first start.
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
