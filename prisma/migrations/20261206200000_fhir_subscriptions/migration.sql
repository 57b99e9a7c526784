-- Issue 26: FHIR R4 Subscriptions (server/src/fhir/subscriptions.sql.ts). A subscription follows
-- one outbox stream (a doctor's or a patient's) for its owner; its events are numbered by that
-- stream's sequence, and `start_seq` is where the stream stood when it was created (replays with
-- $events never reach before it). No foreign key to users: a subscription is only ever used with
-- a live session of its owner, whose rights are checked again at every use.
CREATE TABLE "fhir_subscriptions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "owner_id" UUID NOT NULL,
    "criteria" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "start_seq" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fhir_subscriptions_pkey" PRIMARY KEY ("id")
);
-- One row per owner and (criteria, content, reason): Medplum's client creates its Subscription again
-- at every reconnect, with the same fields; the same row is answered, so the table stays bounded.
CREATE UNIQUE INDEX "fhir_subscriptions_owner_id_criteria_content_reason_key" ON "fhir_subscriptions"("owner_id", "criteria", "content", "reason");
