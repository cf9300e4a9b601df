CREATE TYPE "public"."identity_review" AS ENUM('pending', 'approved', 'refused');--> statement-breakpoint
CREATE TYPE "public"."liveness_status" AS ENUM('issued', 'passed', 'refused');--> statement-breakpoint
CREATE TABLE "face_guard" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"descriptor_sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "liveness_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"steps" jsonb NOT NULL,
	"status" "liveness_status" DEFAULT 'issued' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"refusal" text,
	"live_descriptor_sealed" text,
	"frame_hashes" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "removal_requests" ADD COLUMN "identity_review" "identity_review";--> statement-breakpoint
ALTER TABLE "removal_requests" ADD COLUMN "identity_review_reason" text;--> statement-breakpoint
ALTER TABLE "face_guard" ADD CONSTRAINT "face_guard_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liveness_checks" ADD CONSTRAINT "liveness_checks_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liveness_checks" ADD CONSTRAINT "liveness_checks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "face_guard_expires_idx" ON "face_guard" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "liveness_checks_request_idx" ON "liveness_checks" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "liveness_checks_user_idx" ON "liveness_checks" USING btree ("user_id","created_at");