-- bench/archive_side.sql: one measured run of one side of bench/archive.sh, in a
-- fresh copy of the template database (bench/archive_setup.sql). Prints one
-- line: seconds|WAL bytes of the move.
--
--   psql -X -At -v ON_ERROR_STOP=1 -v side=A -v batch=1000 -f bench/archive_side.sql
--   side A: CALL creator_platform.archive_old_posts(older_than, batch)
--   side B: the single statement below, the extension's read-only triggers on the
--           archive tables and the counter trigger of comments disabled
--           (ALTER TABLE ... DISABLE TRIGGER; foreign keys are checked as on side A)
--   side R: the same statement under session_replication_role = replica (every
--           trigger off, foreign-key checks and cascades included)
--
-- Before the clock starts: the triggers (B), every table and index in
-- shared_buffers (pg_prewarm), CHECKPOINT. The clock is the server's
-- clock_timestamp() before and after, in this session (the same for every side:
-- the CALL's batches and commits, the statement's one commit).

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT p.older_than AS older_than FROM bench_arch.params p \gset
SELECT :'side' = 'A' AS side_a, :'side' = 'B' AS side_b, :'side' = 'R' AS side_r \gset

\if :side_b
ALTER TABLE creator_platform.posts_archive DISABLE TRIGGER posts_archive_read_only;
ALTER TABLE creator_platform.comments_archive DISABLE TRIGGER comments_archive_read_only;
ALTER TABLE creator_platform.comments DISABLE TRIGGER comments_after_delete;
\endif
\if :side_r
SET session_replication_role = replica;
\endif
SELECT bench_arch.prewarm() AS prewarmed \gset
CHECKPOINT;
SELECT pg_current_wal_lsn() AS wal0, clock_timestamp() AS t0 \gset

\if :side_a
CALL creator_platform.archive_old_posts(:'older_than', :batch);
\else
-- The best single statement: the old published posts and their comments
-- deleted and inserted into the archive, in one statement (one snapshot, one
-- commit). The comments are those of the deleted posts (a hash join of the
-- posts CTE with comments: as fast as finding them through posts_pkey with
-- IN (SELECT ... FROM posts ...), which we tried, and a little less WAL).
WITH moved_posts AS (
    DELETE FROM creator_platform.posts p
     WHERE p.status = 'published' AND p.published_at < :'older_than'
    RETURNING p.id, p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at,
              p.created_at, p.updated_at, p.comment_count
), moved_comments AS (
    DELETE FROM creator_platform.comments c
     USING moved_posts m
     WHERE c.post_id = m.id
    RETURNING c.id, c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, c.depth,
              c.reply_count, c.deleted_at, c.path
), archived_posts AS (
    INSERT INTO creator_platform.posts_archive (id, creator_id, title, content, status, visibility,
                                                published_at, created_at, updated_at, comment_count, archived_at)
    SELECT m.id, m.creator_id, m.title, m.content, m.status, m.visibility, m.published_at, m.created_at,
           m.updated_at, m.comment_count, now()
      FROM moved_posts m
    RETURNING 1
), archived_comments AS (
    INSERT INTO creator_platform.comments_archive (id, post_id, user_id, parent_comment_id, content,
                                                   created_at, depth, reply_count, deleted_at, path, archived_at)
    SELECT m.id, m.post_id, m.user_id, m.parent_comment_id, m.content, m.created_at, m.depth, m.reply_count,
           m.deleted_at, m.path, now()
      FROM moved_comments m
    RETURNING 1
)
SELECT (SELECT count(*) FROM archived_posts) AS n_posts, (SELECT count(*) FROM archived_comments) AS n_comments \gset
\endif

SELECT format('%s|%s', extract(epoch FROM clock_timestamp() - :'t0'::timestamptz),
              pg_wal_lsn_diff(pg_current_wal_lsn(), :'wal0'));
