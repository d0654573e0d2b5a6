ALTER TABLE "project_docs" ADD COLUMN "log_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "stored_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing projects: their logs' bytes as they stand, then each user's sum.
UPDATE "project_docs" SET "log_bytes" = COALESCE((SELECT SUM(octet_length("update")) FROM "project_updates" u WHERE u."project_id" = "project_docs"."project_id"), 0);--> statement-breakpoint
UPDATE "users" SET "stored_bytes" = COALESCE((SELECT SUM(d."log_bytes") FROM "project_docs" d JOIN "projects" p ON p."id" = d."project_id" WHERE p."owner_id" = "users"."id"), 0);
