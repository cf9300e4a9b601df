-- One request lifecycle (lib/removals/lifecycle.ts): a request whose work cannot be done ends 'failed',
-- with the stage and the last error, instead of waiting for good; the removal sweep scans unpurged requests.
ALTER TYPE "public"."removal_request_status" ADD VALUE 'failed' BEFORE 'withdrawn';--> statement-breakpoint
ALTER TABLE "removal_requests" ADD COLUMN "error" jsonb;--> statement-breakpoint
CREATE INDEX "removal_requests_unpurged_idx" ON "removal_requests" USING btree ("status","last_activity_at") WHERE "removal_requests"."purged_at" is null;