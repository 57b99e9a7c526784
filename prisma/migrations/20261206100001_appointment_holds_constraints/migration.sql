-- Slot holds, part 2 (see 20261206100000_appointment_holds). Hand-written: Prisma cannot express
-- exclusion constraints, CHECKs or partial indexes.

-- A HELD row takes its time like a booking: the no-overlap constraints now cover BOOKED,
-- CHECKED_IN and HELD, for the doctor and for the patient. An expired hold still matches them
-- until it is deleted, so every statement that takes a time first deletes the expired holds it
-- overlaps, in the same statement (appointments.sql.ts): an expired hold never blocks anyone,
-- whether or not the background sweep has run yet.
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_doctor_no_overlap";
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_patient_no_overlap";
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist (
    "doctor_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
) WHERE ("status" IN ('BOOKED', 'CHECKED_IN', 'HELD'));
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist (
    "patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
) WHERE ("status" IN ('BOOKED', 'CHECKED_IN', 'HELD'));

-- A hold, and only a hold, has an expiry (converting it into a booking clears it).
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_hold_expiry_check"
    CHECK (("status" = 'HELD') = ("hold_expires_at" IS NOT NULL));

-- The background sweep finds expired holds by this index.
CREATE INDEX "appointments_hold_expires_at_idx" ON "appointments"("hold_expires_at") WHERE "status" = 'HELD';
