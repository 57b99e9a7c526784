-- Practices and the front desk (issue 14), part 1: the new enum values, alone. PostgreSQL cannot
-- use an enum value in the transaction that added it (and our runner applies each file in one
-- transaction), so everything that names STAFF, CHECKED_IN or NO_SHOW is in the next migration
-- (20261201100001_practices_members).
ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'STAFF';
ALTER TYPE "AppointmentStatus" ADD VALUE IF NOT EXISTS 'CHECKED_IN';
ALTER TYPE "AppointmentStatus" ADD VALUE IF NOT EXISTS 'NO_SHOW';
