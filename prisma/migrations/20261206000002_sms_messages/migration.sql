-- Texts (features/notifications): one row per message, written before Twilio is asked (status
-- 'sending') so a retry after a crash finds it, then Twilio's sid and each status it reports.
-- Rows with status 'refused' (over SMS_MONTHLY_BUDGET) record the refusal; the others count
-- against the practice's budget for the month.
CREATE TABLE "sms_messages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "message_key" TEXT NOT NULL,
    "practice_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "appointment_id" UUID,
    "kind" TEXT NOT NULL,
    "to_phone" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "twilio_sid" TEXT,
    "error_code" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sms_messages_pkey" PRIMARY KEY ("id")
);

-- Numbers that replied STOP (or that Twilio reports unsubscribed: 21610), until START.
CREATE TABLE "sms_opt_outs" (
    "phone" TEXT NOT NULL,
    "opted_out_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "sms_opt_outs_pkey" PRIMARY KEY ("phone")
);

CREATE UNIQUE INDEX "sms_messages_message_key_key" ON "sms_messages"("message_key");
CREATE UNIQUE INDEX "sms_messages_twilio_sid_key" ON "sms_messages"("twilio_sid");
CREATE INDEX "sms_messages_practice_id_created_at_idx" ON "sms_messages"("practice_id", "created_at");

ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
