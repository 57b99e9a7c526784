-- Issue 25: a doctor who never set working hours is no longer offered for booking around the clock
-- unless their practice says so (an admin's setting). Off for every existing practice: their
-- doctors without hours leave the booking forms and get no free slots until they set hours.
ALTER TABLE "practices" ADD COLUMN "bookable_without_hours" BOOLEAN NOT NULL DEFAULT false;
