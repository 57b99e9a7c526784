-- When the patient said they will come (confirmAppointment, or a "C"/"YES" reply to a text);
-- a reschedule clears it.
ALTER TABLE "appointments" ADD COLUMN "confirmed_at" TIMESTAMPTZ(3);
