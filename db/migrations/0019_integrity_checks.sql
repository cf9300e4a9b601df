CREATE TABLE "integrity_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"covered" bigint NOT NULL,
	"head_hash" text,
	"ok" boolean NOT NULL,
	"findings" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "witness_refusals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"witness" text NOT NULL,
	"refused_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"checkpoint" text NOT NULL,
	"signature" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "integrity_checks_kind_idx" ON "integrity_checks" USING btree ("kind","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "witness_refusals_signature_key" ON "witness_refusals" USING btree ("signature");--> statement-breakpoint
CREATE INDEX "witness_refusals_received_idx" ON "witness_refusals" USING btree ("received_at");