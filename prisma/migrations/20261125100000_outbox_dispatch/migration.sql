-- Outbox dispatch (issue 5). The dispatcher and its sweep look for events nobody has published
-- yet, per stream in sequence order; once published an event is only read by replays (events_stream_seq_key).
-- A partial index keeps that lookup proportional to the unpublished backlog, not to the whole
-- retained history. Prisma cannot express a partial index, so it lives only here.
CREATE INDEX "events_unpublished_idx" ON "events"("stream", "seq") WHERE "published_at" IS NULL;
