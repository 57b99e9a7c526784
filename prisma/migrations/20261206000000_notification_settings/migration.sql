-- Messaging choices per user (features/notifications): the channels they want (EMAIL, SMS, PUSH),
-- their phone in E.164 and when and where they agreed to texts. No row: EMAIL only.
CREATE TYPE "Channel" AS ENUM ('EMAIL', 'SMS', 'PUSH');

CREATE TABLE "notification_settings" (
    "user_id" UUID NOT NULL,
    "phone" TEXT,
    "channels" "Channel"[] DEFAULT ARRAY['EMAIL']::"Channel"[],
    "sms_consent_at" TIMESTAMPTZ(3),
    "sms_consent_source" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_settings_pkey" PRIMARY KEY ("user_id")
);

-- Inbound texts find their sender by number.
CREATE INDEX "notification_settings_phone_idx" ON "notification_settings"("phone");

ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
