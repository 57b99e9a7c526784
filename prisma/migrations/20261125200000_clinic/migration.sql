-- The rest of the clinic (issue 9): appointment lifecycle columns and doctors' availability.
-- Mirrors prisma/schema.prisma; hand-written CHECKs are marked.

-- Lifecycle: why and when a visit was cancelled, when it was completed. A cancelled row stays
-- (history), and the exclusion constraints only cover status 'BOOKED', so its time is free at once.
ALTER TABLE "appointments"
    ADD COLUMN "cancellation_reason" TEXT,
    ADD COLUMN "cancelled_at" TIMESTAMPTZ(3),
    ADD COLUMN "completed_at" TIMESTAMPTZ(3);

-- Weekly working hours in the doctor's own time zone (doctors.time_zone): wall-clock minutes, so
-- 09:00 stays 09:00 across daylight-saving changes. A doctor with no rows accepts any future time.
CREATE TABLE "doctor_working_hours" (
    "doctor_id" UUID NOT NULL,
    -- ISO weekday: 1 = Monday ... 7 = Sunday.
    "weekday" SMALLINT NOT NULL,
    "start_minute" SMALLINT NOT NULL,
    "end_minute" SMALLINT NOT NULL,
    CONSTRAINT "doctor_working_hours_pkey" PRIMARY KEY ("doctor_id", "weekday", "start_minute"),
    CONSTRAINT "doctor_working_hours_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    -- Hand-written: a real weekday and a non-empty interval within one local day.
    CONSTRAINT "doctor_working_hours_weekday_check" CHECK ("weekday" BETWEEN 1 AND 7),
    CONSTRAINT "doctor_working_hours_interval_check" CHECK ("start_minute" >= 0 AND "start_minute" < "end_minute" AND "end_minute" <= 1440)
);

-- Whole local days (in the doctor's time zone) the doctor does not work, whatever the weekly hours say.
CREATE TABLE "doctor_days_off" (
    "doctor_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    CONSTRAINT "doctor_days_off_pkey" PRIMARY KEY ("doctor_id", "day"),
    CONSTRAINT "doctor_days_off_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctors"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
