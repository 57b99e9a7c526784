-- Refresh-token rotation (accounts/sessions.ts): each token names its session's generation; a
-- refresh moves the session to the next one and remembers when, so the previous token keeps working
-- for a short grace and a token older than that ends the session (reuse detection).
ALTER TABLE "sessions" ADD COLUMN "token_generation" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "rotated_at" TIMESTAMPTZ(3);
