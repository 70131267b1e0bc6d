-- The liveness challenges the server issued during a visit (read these digits aloud, turn your
-- head...), recorded with its outcome: each { challengeId, issuedAt (ms since epoch), task }.
-- Taken from the server's own record of the visit when the outcome is submitted, never from the console.
alter table outcomes add column liveness_challenges jsonb not null default '[]'::jsonb;
