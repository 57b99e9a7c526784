-- Patients of a practice (issue 23): staff book only patients on the practice's list, and a
-- patient joins that list by booking one of its doctors or by accepting its invitation.
-- `booked` says whether they have booked with the practice yet (the booking's upsert flips it,
-- which tells the first visit); `linked_at` and `invitation_id` record an accepted invitation.
-- `first_booked_at` stays the moment the patient joined the list (the desk list's order).
ALTER TABLE "practice_patients"
    ADD COLUMN "booked" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "linked_at" TIMESTAMPTZ(3),
    ADD COLUMN "invitation_id" UUID;
ALTER TABLE "practice_patients" ADD CONSTRAINT "practice_patients_invitation_id_fkey"
    FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: an invitation is for a doctor, a staff member or a patient; a patient is never an admin.
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check"
    CHECK ("role" IN ('DOCTOR', 'STAFF', 'PATIENT') AND ("role" <> 'PATIENT' OR NOT "admin"));
