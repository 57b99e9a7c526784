-- Slot holds (issue 26, FHIR Appointment/$hold and GraphQL holdSlot), part 1: the new enum value
-- and its column, alone. PostgreSQL cannot use an enum value in the transaction that added it (our
-- runner applies each file in one transaction), so the constraints that name HELD are in the next
-- migration (20261206100001_appointment_holds_constraints).
--
-- A hold is an appointments row with status HELD and hold_expires_at: the same table, so the
-- same exclusion constraints that refuse double booking also refuse a booking over a hold, a hold
-- over a booking and a hold over a hold, however many requests race (see the next migration and
-- docs/fhir.md, "Holds").
ALTER TYPE "AppointmentStatus" ADD VALUE IF NOT EXISTS 'HELD';
ALTER TABLE "appointments" ADD COLUMN "hold_expires_at" TIMESTAMPTZ(3);
