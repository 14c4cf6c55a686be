-- bench/archive.sh, pgbench: page 1 of creator_posts for a random creator, seen by a random reader
\set c random(1, :n_creators)
\set r random(1, :n_readers)
SELECT f.post_id, f.creator_username, f.title, f.content, f.locked, f.published_at, f.comment_count, f.cursor
  FROM creator_platform.creator_posts((SELECT c.id FROM bench_arch.creators c WHERE c.n = :c),
                                      (SELECT r.id FROM bench_arch.readers r WHERE r.n = :r), 20) f;
