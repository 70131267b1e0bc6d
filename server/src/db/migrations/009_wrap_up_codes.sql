-- What closes a visit besides its outcome: visits that ended without a decision (so that every
-- tracking code a claimant was given resolves), and the wrap-up codes officers file each visit
-- under after it, from a list each branch's supervisors maintain.

-- A visit the officer ended without a decision (with their reason), or that the server ended
-- because its booth never came back. One row per visit; a visit has an outcome or a row here,
-- never both (the decision is claimed in Redis first: server/src/outcomes/visitDecisions.ts).
create table undecided_visits (
  visit_id text primary key,
  -- The claimant's tracking code (upper case, without its dash), as for outcomes.
  tracking_code text not null constraint undecided_visits_tracking_code_key unique,
  reason text not null check (reason in ('claimant_left', 'connection_lost', 'wrong_service', 'booth_lost')),
  -- The officer who ended it, or whose booth it was when the server ended it.
  officer_id uuid not null references accounts on delete restrict,
  booth_id text not null references booths on delete restrict,
  branch_id text not null references branches on delete restrict,
  service text not null check (service in ('jht', 'jkk', 'jkm', 'jp')),
  session_started_at timestamptz not null,
  recorded_at timestamptz not null default now()
);

create index undecided_visits_branch_recorded on undecided_visits (branch_id, recorded_at);

-- A branch's wrap-up codes ("document follow-up", "claimant will return"...). Retired codes stay,
-- since visits filed under them keep pointing at them; at most one live code is the branch's
-- default, which the wrap-up timer applies when the officer picked none.
create table wrap_up_codes (
  id uuid primary key default gen_random_uuid(),
  branch_id text not null references branches on delete restrict,
  label text not null check (length(label) between 1 and 80),
  is_default boolean not null default false,
  retired_at timestamptz,
  created_at timestamptz not null default now()
);

create unique index wrap_up_codes_live_label on wrap_up_codes (branch_id, lower(label)) where retired_at is null;
create unique index wrap_up_codes_live_default on wrap_up_codes (branch_id) where is_default and retired_at is null;

-- The wrap-up code each visit was filed under: by its officer, or by the timer's default.
create table visit_wrap_ups (
  visit_id text primary key,
  code_id uuid not null references wrap_up_codes on delete restrict,
  officer_id uuid not null references accounts on delete restrict,
  branch_id text not null references branches on delete restrict,
  applied_by text not null check (applied_by in ('officer', 'timer')),
  recorded_at timestamptz not null default now()
);
