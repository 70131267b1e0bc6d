-- The officer's console closed: their booths show "reconnecting" until the grace period ends.
-- KEYS: [1] the officer, [2] the deadlines.
-- ARGV: [2] officer, [3] the connection that closed, [4] grace period (ms).
DEADLINES = KEYS[2]
officer_away(KEYS[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
