-- Issue 29: analytics asks, for each patient with an appointment in a range, which appointment was
-- their first booking with the practice (the earliest created). This index answers it by reading
-- the patient's earliest rows only, however long their history.
CREATE INDEX "appointments_patient_id_created_at_idx" ON "appointments"("patient_id", "created_at");
