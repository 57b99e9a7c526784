-- Jobs and notifications (issue 17). Mirrors prisma/schema.prisma; hand-written parts are marked.

-- Everything CareLine sends outside (mail, webhooks) is a job row, written in the same transaction
-- as the change it announces (server/src/jobs/). Workers on any instance claim due rows with
-- FOR UPDATE SKIP LOCKED; a claim is a lease (lease_expires_at): a worker that died mid-send leaves
-- its job claimable again once the lease has expired, so every job runs at least once.
CREATE TABLE "jobs" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    -- At most one job per key (one mail per event, one agenda per doctor per local day).
    "dedupe_key" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "lease_expires_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"),
    -- Hand-written: the statuses the worker knows (server/src/jobs/job-queue.ts).
    CONSTRAINT "jobs_status_check" CHECK ("status" IN ('pending', 'running', 'done', 'skipped', 'dead'))
);
CREATE UNIQUE INDEX "jobs_dedupe_key_key" ON "jobs"("dedupe_key");
-- Hand-written partial index: the claim only ever looks at unfinished jobs, so its cost follows
-- the backlog, not the history.
CREATE INDEX "jobs_due_idx" ON "jobs"("run_at", "id") WHERE "status" IN ('pending', 'running');

-- iCalendar SEQUENCE per appointment: bumped in the transaction of each change, so a calendar
-- application always sees the later version win.
CREATE TABLE "appointment_calendar_sequences" (
    "appointment_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "appointment_calendar_sequences_pkey" PRIMARY KEY ("appointment_id"),
    CONSTRAINT "appointment_calendar_sequences_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A patient's choices; no row means the defaults (everything on).
CREATE TABLE "notification_preferences" (
    "patient_id" UUID NOT NULL,
    "confirmations" BOOLEAN NOT NULL DEFAULT true,
    "reminders" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("patient_id"),
    CONSTRAINT "notification_preferences_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
