CREATE TABLE "checkpoint_cosignatures" (
	"size" integer NOT NULL,
	"witness" text NOT NULL,
	"key_id" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"line" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkpoint_cosignatures_size_witness_key_id_pk" PRIMARY KEY("size","witness","key_id")
);
