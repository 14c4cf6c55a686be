-- creator_platform 0.4.0 -> 0.5.0: hardening (least privilege, opt-in row-level
-- security, backups) and faster archiving.
-- (in progress: this script is still open for changes until 0.5.0 is released)
\echo Use "ALTER EXTENSION creator_platform UPDATE TO '0.5.0'" to load this file. \quit

-- ==== archiving: begin
-- ==== archiving: end

-- ==== privileges: begin
-- ==== privileges: end

-- ==== row-level security: begin
-- ==== row-level security: end

-- ==== backups: begin
-- ==== backups: end
