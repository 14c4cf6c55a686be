-- bench/archive.sh, pgbench: page 1 of comment_thread for a random post with comments (old posts
-- included: archive_old_posts may be moving it while it is read)
\set t random(1, :n_threads)
SELECT f.comment_id, f.parent_comment_id, f.username, f.content, f.depth, f.reply_count, f.created_at, f.deleted, f.cursor
  FROM creator_platform.comment_thread((SELECT t.id FROM bench_arch.threads t WHERE t.n = :t), 50) f;
