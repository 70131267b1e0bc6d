-- One-time codes that enrol a booth kiosk. A code is shown as XXXX-XXXX-XXXX: the first four
-- characters find the row (`lookup`), the other eight are a secret stored only as its SHA-256.
-- A code is void once used, after its last allowed wrong attempt, or when a newer code is issued.

create table enrolment_codes (
  lookup text primary key,
  booth_id text not null references booths on delete cascade,
  secret_hash text not null,
  expires_at timestamptz not null,
  wrong_attempts int not null default 0,
  used_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz not null default now()
);

create index enrolment_codes_booth_id on enrolment_codes (booth_id);
