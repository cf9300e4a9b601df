ALTER TABLE "faces" ADD COLUMN "cohort_distance" real;--> statement-breakpoint
CREATE INDEX "dataset_items_label_idx" ON "dataset_items" USING btree ("dataset_id","label");--> statement-breakpoint
CREATE INDEX "faces_model_cohort_distance_idx" ON "faces" USING btree ("embedding_model","cohort_distance") WHERE not "faces"."removed";