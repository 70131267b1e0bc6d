-- Each branch queue's figures per calendar day (in the statistics' time zone), for the
-- supervisors' trend over weeks: Redis keeps a day's raw waits and session lengths for three days
-- only. Copied from Redis by every server process now and then (QueueHistory); each copy of a day
-- overwrites the last with figures from the same source, so the copies never disagree.
create table queue_days (
  branch_id text not null,
  day date not null,
  -- Claimants assigned to an officer that day, and how long they had waited (ms).
  wait_count integer not null check (wait_count >= 0),
  wait_median_ms integer not null check (wait_median_ms >= 0),
  wait_p90_ms integer not null check (wait_p90_ms >= 0),
  wait_max_ms integer not null check (wait_max_ms >= 0),
  -- Sessions that ended that day (the claimants served), and how long they lasted (ms).
  session_count integer not null check (session_count >= 0),
  session_median_ms integer not null check (session_median_ms >= 0),
  session_p90_ms integer not null check (session_p90_ms >= 0),
  session_max_ms integer not null check (session_max_ms >= 0),
  updated_at timestamptz not null default now(),
  primary key (branch_id, day)
);
