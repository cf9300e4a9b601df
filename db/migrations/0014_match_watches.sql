CREATE TABLE "match_watches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"descriptors_sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_searched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_watches" ADD CONSTRAINT "match_watches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_watches" ADD CONSTRAINT "match_watches_request_id_removal_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."removal_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "match_watches_request_key" ON "match_watches" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "match_watches_user_idx" ON "match_watches" USING btree ("user_id");