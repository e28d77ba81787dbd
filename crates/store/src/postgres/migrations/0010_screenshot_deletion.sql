-- Issue 18: what deleting a screenshot before upload does to its time
-- (stint_model::ScreenshotDeletion); today's behaviour is the default.
ALTER TABLE orgs ADD COLUMN screenshot_deletion TEXT NOT NULL DEFAULT 'with-time';
