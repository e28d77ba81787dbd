-- Days an organization keeps screenshots; NULL (the default) keeps them
-- forever. The server's hourly purge and `stint purge` read it.
ALTER TABLE orgs ADD COLUMN screenshot_retention_days INTEGER
    CHECK (screenshot_retention_days > 0);
