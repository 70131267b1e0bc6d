-- Branches, and the accounts of officers, supervisors and IT administrators with the branches
-- each one covers. Passwords are stored only as scrypt hashes (server/src/accounts/passwords.ts).

create table branches (
  id text primary key,
  name text not null,
  region text
);

create table accounts (
  id uuid primary key default gen_random_uuid(),
  username text not null unique
    check (username = lower(username) and username ~ '^[a-z0-9._-]{3,64}$'),
  display_name text not null,
  role text not null check (role in ('officer', 'supervisor', 'it_admin')),
  password_hash text not null,
  failed_sign_ins int not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now()
);

create table account_branches (
  account_id uuid references accounts on delete cascade,
  branch_id text references branches on delete cascade,
  primary key (account_id, branch_id)
);

-- "Which accounts cover this branch" (the primary key serves the other direction).
create index account_branches_branch_id on account_branches (branch_id);
