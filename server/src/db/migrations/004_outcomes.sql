-- Verification outcomes: the officer's decision on a claimant's visit, the product's legal output.
-- One row per visit, written by the outcome worker in one transaction with its audit event.

create table outcomes (
  id bigint generated always as identity primary key,
  -- The visit (the scheduler's session id). Unique: a retried or repeated job cannot record twice.
  visit_id text not null constraint outcomes_visit_id_key unique,
  -- The console's id of the decision form that was submitted.
  submission_id uuid not null,
  -- The claimant's tracking code (upper case, without its dash); unique, looked up by the public page.
  tracking_code text not null constraint outcomes_tracking_code_key unique,
  decision text not null check (decision in ('approved', 'incomplete', 'rejected', 'escalated')),
  service text not null check (service in ('jht', 'jkk', 'jkm', 'jp')),
  -- The checklist as submitted (booleans and document kinds only).
  checklist jsonb not null,
  missing_documents jsonb not null default '[]'::jsonb,
  reason text,
  notes text,
  officer_id uuid not null references accounts on delete restrict,
  booth_id text not null references booths on delete restrict,
  branch_id text not null references branches on delete restrict,
  -- Document images of the visit, by id (the images live in their own store, with access control).
  document_ids jsonb not null default '[]'::jsonb,
  -- When the booth was assigned to the officer, when the officer submitted, when it was recorded.
  session_started_at timestamptz not null,
  submitted_at timestamptz not null,
  recorded_at timestamptz not null default now()
);

create index outcomes_branch_recorded on outcomes (branch_id, recorded_at);
