-- creator_platform 0.3.0 -> 0.4.0: archiving, statistics, maintenance.
-- (in progress: this script is still open for changes until 0.4.0 is released)
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.4.0'" to load this file. \quit

-- ==== archiving: begin
-- ==== archiving: end

-- ==== statistics: begin
-- ==== statistics: end
