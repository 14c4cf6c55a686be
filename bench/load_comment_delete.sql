-- bench/load.sh, pgbench (comments): comments deleted by their authors, on the hot posts, each
-- statement in its own transaction. The load deletes only comments this client just wrote, so a
-- delete never removes another client's parent.
--   50%: a reply to a comment of a hot post, then delete_comment of that reply (a leaf: removed; the
--        parent's reply_count, which other clients are raising meanwhile, goes up and down again)
--   50%: a top-level comment on a hot post and a reply to it; delete_comment of the top-level one
--        (it has a reply: a placeholder), of the reply (removed), then of the placeholder (now
--        without replies: removed)
\set v random(1, 100)
\set u random(1, :n_readers)
\set w random(1, :n_readers)
\if :v <= 50
\set k random(1, :n_hot_parents)
SELECT /* reply, hot post */ c.id AS d_reply
  FROM creator_platform.add_comment((SELECT x.post_id FROM bench_load.hot_parents x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a reply soon deleted, by reader ' || :u,
                                    (SELECT x.id FROM bench_load.hot_parents x WHERE x.n = :k)) c
\gset
SELECT /* delete the reply: removed */ creator_platform.delete_comment(:d_reply);
\else
\set k random(1, :n_hot)
SELECT /* top-level, hot post */ c.id AS d_top
  FROM creator_platform.add_comment((SELECT x.id FROM bench_load.hot_posts x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :u),
                                    'load: a comment soon deleted, by reader ' || :u) c
\gset
SELECT /* reply to it */ c.id AS d_reply
  FROM creator_platform.add_comment((SELECT x.id FROM bench_load.hot_posts x WHERE x.n = :k),
                                    (SELECT x.id FROM bench_load.readers x WHERE x.n = :w),
                                    'load: a reply soon deleted, by reader ' || :w, :d_top) c
\gset
SELECT /* delete the top-level: placeholder */ creator_platform.delete_comment(:d_top);
SELECT /* delete its reply: removed */ creator_platform.delete_comment(:d_reply);
SELECT /* delete the placeholder: removed */ creator_platform.delete_comment(:d_top);
\endif
