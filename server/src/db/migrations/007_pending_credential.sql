-- A device credential being rotated: staged beside the current one until the kiosk has stored it
-- (it acknowledges, or connects with it), then it replaces the current one. SHA-256 (hex), as
-- credential_hash; null when no rotation is under way.
alter table booths add column pending_credential_hash text unique;
