CREATE TABLE "deployment_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"key_id" uuid NOT NULL,
	"envelope" jsonb NOT NULL,
	"payload_sha256" text NOT NULL,
	"certificate_ids" uuid[] NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kid" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "deployment_acknowledgements" ADD CONSTRAINT "deployment_acknowledgements_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_acknowledgements" ADD CONSTRAINT "deployment_acknowledgements_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_acknowledgements" ADD CONSTRAINT "deployment_acknowledgements_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_acknowledgements" ADD CONSTRAINT "deployment_acknowledgements_key_id_deployment_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."deployment_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_keys" ADD CONSTRAINT "deployment_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_acks_payload_key" ON "deployment_acknowledgements" USING btree ("payload_sha256");--> statement-breakpoint
CREATE INDEX "deployment_acks_model_idx" ON "deployment_acknowledgements" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "deployment_acks_certificates_idx" ON "deployment_acknowledgements" USING gin ("certificate_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_keys_org_kid_key" ON "deployment_keys" USING btree ("organization_id","kid");--> statement-breakpoint
CREATE INDEX "deployment_keys_org_idx" ON "deployment_keys" USING btree ("organization_id");