-- The claimant left the queue before being served; a booth already assigned stays with its officer.
-- KEYS: [1] the booth's visit, [2] the deadlines.
-- ARGV: [2] booth.
local visit_key = KEYS[1]
DEADLINES = KEYS[2]
local b = ARGV[2]
if field(visit_key, 'state') == 'waiting' then release(b, 'cancelled') end
emit({ type = 'booth', boothId = b })
