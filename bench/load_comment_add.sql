-- bench/load.sh, pgbench (comments): add_comment by a random reader. 30% top-level on a hot post, 30%
-- a reply to a comment of a hot post (counters race there: comment_count of a few posts, reply_count
-- of their comments), 20% top-level on any published post, 20% a reply to any live comment. Every
-- target is published and live, and no parent is ever deleted by the load (bench/load_setup.sql).
\set v random(1, 100)
\set u random(1, :n_readers)
\if :v <= 30
\set k random(1, :n_hot)
SELECT /* top-level, hot post */ c.id, c.depth
  FROM creator_platform.add_comment((SELECT x.id FROM bench_load.hot_posts x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a comment on a hot post by reader ' || :u) c;
\elif :v <= 60
\set k random(1, :n_hot_parents)
SELECT /* reply, hot post */ c.id, c.depth
  FROM creator_platform.add_comment((SELECT x.post_id FROM bench_load.hot_parents x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a reply on a hot post by reader ' || :u,
                                    (SELECT x.id FROM bench_load.hot_parents x WHERE x.n = :k)) c;
\elif :v <= 80
\set k random(1, :n_posts)
SELECT /* top-level, any post */ c.id, c.depth
  FROM creator_platform.add_comment((SELECT x.id FROM bench_load.posts x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a comment by reader ' || :u) c;
\else
\set k random(1, :n_parents)
SELECT /* reply, any comment */ c.id, c.depth
  FROM creator_platform.add_comment((SELECT x.post_id FROM bench_load.parents x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a reply by reader ' || :u,
                                    (SELECT x.id FROM bench_load.parents x WHERE x.n = :k)) c;
\endif
