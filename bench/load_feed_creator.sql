-- bench/load.sh, pgbench (feeds): creator_posts of a random creator seen by a random reader: page 1,
-- then page 2 from the last row's cursor when page 1 was full. \aset keeps the last row's columns.
\set c random(1, :n_creators)
\set r random(1, :n_readers)
\set p_o 0
SELECT /* page 1 */ f.post_id, f.creator_username, f.title, f.content, f.locked, f.published_at, f.comment_count, f.cursor, f.o
  FROM creator_platform.creator_posts((SELECT x.id FROM bench_load.creators x WHERE x.n = :c),
                                      (SELECT x.id FROM bench_load.readers x WHERE x.n = :r), 20)
       WITH ORDINALITY AS f(post_id, creator_id, creator_username, title, content, visibility, locked,
                            published_at, comment_count, cursor, o)
\aset p_
\if :p_o = 20
SELECT /* page 2 */ f.post_id, f.creator_username, f.title, f.content, f.locked, f.published_at, f.comment_count, f.cursor
  FROM creator_platform.creator_posts((SELECT x.id FROM bench_load.creators x WHERE x.n = :c),
                                      (SELECT x.id FROM bench_load.readers x WHERE x.n = :r), 20, :p_cursor) f;
\endif
