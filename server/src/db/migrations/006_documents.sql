-- Document photos a booth took at its officer's request, during a visit. Images are personal data:
-- they live here, behind access control (GET /api/documents/:id), never in Redis, logs or job payloads.

create table documents (
  id uuid primary key default gen_random_uuid(),
  -- The visit (the scheduler's session id) the photo belongs to; outcomes refer to documents by id.
  visit_id text not null,
  booth_id text not null references booths on delete restrict,
  -- The officer who asked for the photo: the one officer (with their branch's supervisors) who may view it.
  officer_id uuid not null references accounts on delete restrict,
  branch_id text not null references branches on delete restrict,
  mime text not null check (mime in ('image/jpeg', 'image/png')),
  width int not null check (width > 0),
  height int not null check (height > 0),
  bytes int not null check (bytes > 0),
  data bytea not null,
  created_at timestamptz not null default now()
);

create index documents_visit_id on documents (visit_id);
