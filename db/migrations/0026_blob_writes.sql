CREATE TABLE "blob_writes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "blob_writes_sha256_idx" ON "blob_writes" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "blob_writes_created_at_idx" ON "blob_writes" USING btree ("created_at");