-- Issue 27: third-party apps with OAuth 2 / OpenID Connect (server/src/features/apps/).

-- An app a practice admin registered: its OAuth client. The secret of a confidential client is
-- sealed under DATA_ENCRYPTION_KEY (the provider compares it, so it cannot be a hash).
CREATE TABLE "apps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "practice_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret" TEXT,
    "redirect_uris" TEXT[],
    "scopes" TEXT[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "apps_client_id_key" ON "apps"("client_id");
CREATE INDEX "apps_practice_id_idx" ON "apps"("practice_id");
ALTER TABLE "apps" ADD CONSTRAINT "apps_practice_id_fkey" FOREIGN KEY ("practice_id") REFERENCES "practices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "apps" ADD CONSTRAINT "apps_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A user's consent to an app: one OAuth grant, tied to the CareLine session opened by the sign-in
-- on the consent page (revoking the session ends the app's access, and the reverse).
CREATE TABLE "app_authorizations" (
    "grant_id" TEXT NOT NULL,
    "app_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "app_authorizations_pkey" PRIMARY KEY ("grant_id")
);
CREATE INDEX "app_authorizations_user_id_idx" ON "app_authorizations"("user_id");
CREATE INDEX "app_authorizations_app_id_idx" ON "app_authorizations"("app_id");
ALTER TABLE "app_authorizations" ADD CONSTRAINT "app_authorizations_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "app_authorizations" ADD CONSTRAINT "app_authorizations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- oidc-provider's storage (its adapter): codes, tokens, grants, sessions, interactions. `id` is the
-- SHA-256 of the provider's id, so the table holds no usable bearer token.
CREATE TABLE "oauth_records" (
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "grant_id" TEXT,
    "uid" TEXT,
    "user_code" TEXT,
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_records_pkey" PRIMARY KEY ("kind", "id")
);
CREATE INDEX "oauth_records_grant_id_idx" ON "oauth_records"("grant_id");
CREATE INDEX "oauth_records_uid_idx" ON "oauth_records"("uid");
CREATE INDEX "oauth_records_expires_at_idx" ON "oauth_records"("expires_at");

-- The provider's signing keys (private JWKs sealed under DATA_ENCRYPTION_KEY): generated once,
-- kept across restarts and instances; a retired key stays published until its tokens expire.
CREATE TABLE "oauth_signing_keys" (
    "kid" TEXT NOT NULL,
    "private_jwk" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_signing_keys_pkey" PRIMARY KEY ("kid")
);
