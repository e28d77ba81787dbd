-- Issues 16 and 17: a rejected week says why. NULL on every sheet that is
-- not rejected, so databases upgraded in place need nothing filled in.
ALTER TABLE timesheets ADD COLUMN rejection_reason TEXT;
