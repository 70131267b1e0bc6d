-- The booth's socket closed: its place or session is kept for the grace period.
-- KEYS: [1] the booth's visit, [2] the deadlines.
-- ARGV: [2] booth, [3] the connection that closed, [4] grace period (ms).
DEADLINES = KEYS[2]
booth_away(KEYS[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
