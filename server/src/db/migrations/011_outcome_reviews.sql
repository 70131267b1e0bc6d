-- Second-person review (maker-checker): a share of approved outcomes, drawn when each is recorded,
-- and every escalated one wait for a supervisor of the branch, who confirms (the outcome is then
-- forwarded to the back office) or reopens it with a reason (it is never forwarded). Outcomes
-- recorded before this migration needed no review.
alter table outcomes
  add column review_state text not null default 'not_required'
    check (review_state in ('not_required', 'pending', 'confirmed', 'reopened')),
  -- The supervisor who confirmed or reopened it, and when; never the officer who decided.
  add column reviewed_by uuid references accounts on delete restrict,
  add column reviewed_at timestamptz,
  -- Why it was reopened (a supervisor's words to the branch, not shown to the claimant).
  add column review_reason text check (review_reason is null or length(review_reason) between 1 and 500),
  add constraint outcomes_review_decided check (
    (review_state in ('confirmed', 'reopened')) = (reviewed_by is not null and reviewed_at is not null)
    and (review_state = 'reopened') = (review_reason is not null)
  );

-- The supervisors' review queue: a branch's pending outcomes, oldest first.
create index outcomes_branch_pending_review on outcomes (branch_id, recorded_at) where review_state = 'pending';
