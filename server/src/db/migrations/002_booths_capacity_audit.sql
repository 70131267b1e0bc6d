-- Booth kiosks and their device credentials, each officer's capacity, and the audit trail of
-- security-relevant actions.

-- How many booths an officer serves at once, set by a supervisor.
alter table accounts add column capacity int not null default 6 check (capacity between 4 and 6);

create table booths (
  id text primary key check (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  branch_id text not null references branches on delete restrict,
  name text not null,
  -- SHA-256 (hex) of the device secret; the secret itself is shown once and never stored.
  -- Null until the booth is enrolled, and again after it is revoked.
  credential_hash text unique,
  credential_issued_at timestamptz,
  revoked_at timestamptz,
  out_of_service boolean not null default false,
  created_at timestamptz not null default now()
);

create index booths_branch_id on booths (branch_id);

-- Who did what to what, for security review. `detail` never holds personal data.
create table audit_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('account', 'booth', 'system', 'anonymous')),
  actor_id text,
  action text not null,
  subject text,
  detail jsonb not null default '{}'::jsonb
);

create index audit_events_at on audit_events (at);
