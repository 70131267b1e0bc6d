-- Secrets the server processes share and keep across restarts (e.g. the key that derives claim
-- tracking codes). Each is created once, by whichever process needs it first.
create table server_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
