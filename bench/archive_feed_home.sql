-- bench/archive.sh, pgbench: page 1 of home_feed for a random reader (one with an active subscription)
\set r random(1, :n_readers)
SELECT f.post_id, f.creator_username, f.title, f.content, f.locked, f.published_at, f.comment_count, f.cursor
  FROM creator_platform.home_feed((SELECT r.id FROM bench_arch.readers r WHERE r.n = :r), 20) f;
