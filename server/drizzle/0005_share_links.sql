CREATE TABLE "share_blobs" (
	"owner_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"binary" boolean NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "share_blobs_owner_id_sha256_pk" PRIMARY KEY("owner_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "share_link_blobs" (
	"link_pk" uuid NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "share_link_blobs_link_pk_sha256_pk" PRIMARY KEY("link_pk","sha256")
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"pk" uuid PRIMARY KEY NOT NULL,
	"id_hash" text NOT NULL,
	"id_sealed" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"project_id" uuid,
	"project_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"latest" integer DEFAULT 0 NOT NULL,
	"view_count" bigint DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_versions" (
	"link_pk" uuid NOT NULL,
	"n" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"file_count" integer NOT NULL,
	"bytes" bigint NOT NULL,
	"manifest" "bytea" NOT NULL,
	CONSTRAINT "share_versions_link_pk_n_pk" PRIMARY KEY("link_pk","n")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "forked_from_link" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "forked_from_version" integer;--> statement-breakpoint
ALTER TABLE "share_blobs" ADD CONSTRAINT "share_blobs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_link_blobs" ADD CONSTRAINT "share_link_blobs_link_pk_share_links_pk_fk" FOREIGN KEY ("link_pk") REFERENCES "public"."share_links"("pk") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_versions" ADD CONSTRAINT "share_versions_link_pk_share_links_pk_fk" FOREIGN KEY ("link_pk") REFERENCES "public"."share_links"("pk") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "share_link_blobs_sha_idx" ON "share_link_blobs" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "share_links_id_hash_idx" ON "share_links" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "share_links_project_idx" ON "share_links" USING btree ("project_id");