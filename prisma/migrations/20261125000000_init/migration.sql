-- CareLine initial schema. Mirrors prisma/schema.prisma; the constraints Prisma cannot express
-- (exclusion constraints, partial unique index, CHECKs) are written here by hand and marked.

-- btree_gist lets an exclusion constraint combine "same doctor" (=) with "overlapping time" (&&).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE "Role" AS ENUM ('DOCTOR', 'PATIENT');
CREATE TYPE "AppointmentStatus" AS ENUM ('BOOKED', 'CANCELLED', 'COMPLETED');

CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "doctors" (
    "id" UUID NOT NULL,
    "specialty" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    CONSTRAINT "doctors_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "doctors_id_fkey" FOREIGN KEY ("id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "patients" (
    "id" UUID NOT NULL,
    "date_of_birth" DATE,
    CONSTRAINT "patients_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "patients_id_fkey" FOREIGN KEY ("id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "appointments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "doctor_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'BOOKED',
    "reason" TEXT,
    "idempotency_key" TEXT,
    "idempotency_fingerprint" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "appointments_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "appointments_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    -- Hand-written: an appointment has a positive length.
    CONSTRAINT "appointments_ends_after_start" CHECK ("ends_at" > "starts_at"),
    -- Hand-written: the database itself refuses overlapping BOOKED appointments of one doctor, and of
    -- one patient, whatever the application does and however many requests race. Half-open ranges
    -- let one appointment end exactly when the next begins.
    CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist (
        "doctor_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
    ) WHERE ("status" = 'BOOKED'),
    CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist (
        "patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
    ) WHERE ("status" = 'BOOKED')
);
CREATE INDEX "appointments_doctor_id_starts_at_idx" ON "appointments"("doctor_id", "starts_at");
CREATE INDEX "appointments_patient_id_starts_at_idx" ON "appointments"("patient_id", "starts_at");
-- An idempotency key is unique per patient (a repeat returns the first booking); NULLs never collide.
CREATE UNIQUE INDEX "appointments_patient_id_idempotency_key_key" ON "appointments"("patient_id", "idempotency_key");

CREATE TABLE "doctor_patients" (
    "doctor_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "first_booked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_booked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "doctor_patients_pkey" PRIMARY KEY ("doctor_id", "patient_id"),
    CONSTRAINT "doctor_patients_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "doctor_patients_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- Pages a doctor's list newest booking first (keyset on last_booked_at, patient_id).
CREATE INDEX "doctor_patients_doctor_id_last_booked_at_patient_id_idx" ON "doctor_patients"("doctor_id", "last_booked_at" DESC, "patient_id" DESC);
CREATE INDEX "doctor_patients_patient_id_idx" ON "doctor_patients"("patient_id");

CREATE TABLE "vitals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "patient_id" UUID NOT NULL,
    "recorded_by_id" UUID,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heart_rate" INTEGER,
    "systolic" INTEGER,
    "diastolic" INTEGER,
    "temperature_c" DOUBLE PRECISION,
    "spo2_percent" INTEGER,
    "respiratory_rate" INTEGER,
    "weight_kg" DOUBLE PRECISION,
    CONSTRAINT "vitals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "vitals_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "vitals_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "doctors"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "vitals_patient_id_recorded_at_idx" ON "vitals"("patient_id", "recorded_at" DESC);

CREATE TABLE "medical_records" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "diagnosis" TEXT NOT NULL,
    "notes" TEXT,
    "icd10_code" TEXT,
    "supersedes_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "medical_records_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "medical_records_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "medical_records_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "medical_records_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "medical_records"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "medical_records_supersedes_id_key" ON "medical_records"("supersedes_id");
CREATE INDEX "medical_records_patient_id_created_at_idx" ON "medical_records"("patient_id", "created_at");
CREATE INDEX "medical_records_doctor_id_idx" ON "medical_records"("doctor_id");

CREATE TABLE "event_streams" (
    "stream" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "event_streams_pkey" PRIMARY KEY ("stream")
);

CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "stream" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "events_stream_seq_key" ON "events"("stream", "seq");
CREATE INDEX "events_created_at_idx" ON "events"("created_at");
