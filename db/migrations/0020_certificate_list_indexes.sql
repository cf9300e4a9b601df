DROP INDEX "certificates_org_issued_idx";--> statement-breakpoint
DROP INDEX "certificates_issued_idx";--> statement-breakpoint
CREATE INDEX "certificates_org_issued_id_idx" ON "certificates" USING btree ("organization_id","issued_at","id");--> statement-breakpoint
CREATE INDEX "certificates_issued_id_idx" ON "certificates" USING btree ("issued_at","id");--> statement-breakpoint
CREATE INDEX "certificates_org_items_idx" ON "certificates" USING btree ("organization_id","removed_items","issued_at","id");