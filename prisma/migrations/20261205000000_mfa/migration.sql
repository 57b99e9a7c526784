-- TOTP second factor (accounts/mfa.sql.ts). The secret is sealed with DATA_ENCRYPTION_KEY before it
-- is stored (never in clear); an enrollment stays pending (confirmed_at NULL) until a code from the
-- secret is shown. last_time_step is the TOTP step last accepted: a code is never accepted twice.
CREATE TABLE "mfa_credentials" (
    "user_id" UUID NOT NULL,
    "secret_sealed" TEXT NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "last_time_step" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mfa_credentials_pkey" PRIMARY KEY ("user_id")
);

-- Single-use recovery codes, stored as SHA-256 digests (each code carries 50 random bits, so a
-- slow hash buys nothing); used_at set when one is spent.
CREATE TABLE "mfa_recovery_codes" (
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("user_id", "code_hash")
);

ALTER TABLE "mfa_credentials" ADD CONSTRAINT "mfa_credentials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
