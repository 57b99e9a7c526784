-- Practices and the front desk (issue 14), part 2. Mirrors prisma/schema.prisma; hand-written parts marked.

-- A clinic: its doctors and front-desk staff belong to it; its time zone decides "the day" of check-ins.
CREATE TABLE "practices" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "practices_pkey" PRIMARY KEY ("id")
);

-- Front-desk staff: the profile of a STAFF user, sharing its id.
CREATE TABLE "staff_members" (
    "id" UUID NOT NULL,
    "practice_id" UUID NOT NULL,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "staff_members_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_members_id_fkey" FOREIGN KEY ("id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "staff_members_practice_id_fkey" FOREIGN KEY ("practice_id") REFERENCES "practices"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "staff_members_practice_id_idx" ON "staff_members"("practice_id");

-- Existing data: each doctor gets a one-doctor practice named after them, in their time zone, of
-- which they are the admin. The migrated practice reuses the doctor's id as its own (unique, and
-- it lets one statement pair them without a temporary column).
ALTER TABLE "doctors" ADD COLUMN "practice_id" UUID, ADD COLUMN "admin" BOOLEAN NOT NULL DEFAULT false;
INSERT INTO "practices" ("id", "name", "time_zone", "created_at")
    SELECT d."id", u."name", d."time_zone", u."created_at" FROM "doctors" d JOIN "users" u ON u."id" = d."id";
UPDATE "doctors" SET "practice_id" = "id", "admin" = true;
ALTER TABLE "doctors" ALTER COLUMN "practice_id" SET NOT NULL,
    ADD CONSTRAINT "doctors_practice_id_fkey" FOREIGN KEY ("practice_id") REFERENCES "practices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "doctors_practice_id_idx" ON "doctors"("practice_id");

-- Invitations: only a hash of the code is stored (the code is shown once, to its creator, and
-- mailed); a register that presents it consumes it with a conditional UPDATE, so it is single use.
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "practice_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "email" TEXT NOT NULL,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "code_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "used_by_id" UUID,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invitations_practice_id_fkey" FOREIGN KEY ("practice_id") REFERENCES "practices"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invitations_used_by_id_fkey" FOREIGN KEY ("used_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "invitations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    -- Hand-written: an invitation is for a doctor or a staff member, never a patient.
    CONSTRAINT "invitations_role_check" CHECK ("role" IN ('DOCTOR', 'STAFF'))
);
CREATE UNIQUE INDEX "invitations_code_hash_key" ON "invitations"("code_hash");
CREATE INDEX "invitations_practice_id_created_at_idx" ON "invitations"("practice_id", "created_at");

-- A practice's patient list (front desk): one row per practice and patient who booked any of its
-- doctors, written by the booking transaction (ON CONFLICT DO NOTHING tells the first visit).
CREATE TABLE "practice_patients" (
    "practice_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "first_booked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "practice_patients_pkey" PRIMARY KEY ("practice_id", "patient_id"),
    CONSTRAINT "practice_patients_practice_id_fkey" FOREIGN KEY ("practice_id") REFERENCES "practices"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "practice_patients_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "practice_patients_patient_id_idx" ON "practice_patients"("patient_id");
INSERT INTO "practice_patients" ("practice_id", "patient_id", "first_booked_at")
    SELECT d."practice_id", dp."patient_id", dp."first_booked_at" FROM "doctor_patients" dp JOIN "doctors" d ON d."id" = dp."doctor_id"
    ON CONFLICT DO NOTHING;

-- Who booked (the patient, or staff on their behalf) and who cancelled; when the patient arrived
-- or was marked absent. Before practices only patients could book, so every older booking was made
-- by its patient; who cancelled those is unknown (NULL).
ALTER TABLE "appointments"
    ADD COLUMN "created_by_id" UUID,
    ADD COLUMN "cancelled_by_id" UUID,
    ADD COLUMN "checked_in_at" TIMESTAMPTZ(3),
    ADD COLUMN "no_show_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "appointments_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    ADD CONSTRAINT "appointments_cancelled_by_id_fkey" FOREIGN KEY ("cancelled_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
UPDATE "appointments" SET "created_by_id" = "patient_id";

-- Hand-written (Prisma cannot express exclusion constraints): a CHECKED_IN appointment still holds
-- its slot, so the no-overlap constraints now cover BOOKED and CHECKED_IN. CANCELLED, COMPLETED
-- and NO_SHOW free it (a no-show's time can be booked again at once).
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_doctor_no_overlap";
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_patient_no_overlap";
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist (
    "doctor_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
) WHERE ("status" IN ('BOOKED', 'CHECKED_IN'));
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist (
    "patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
) WHERE ("status" IN ('BOOKED', 'CHECKED_IN'));
