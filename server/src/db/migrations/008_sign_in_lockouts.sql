-- Sign-in lock-out by the username typed, for every name alike: an account's name and one that
-- names nobody count failures and lock the same way, so the answers never tell which usernames
-- exist. The name is kept only as its SHA-256 (hex): it may be a password typed in the wrong box.
create table sign_in_lockouts (
  username_hash text primary key,
  failed_sign_ins int not null default 0,
  locked_until timestamptz
);

-- Accounts no longer count their own failures: the lock-out above does, for every name.
alter table accounts drop column failed_sign_ins, drop column locked_until;
