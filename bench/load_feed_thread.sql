-- bench/load.sh, pgbench (feeds): comment_thread of a post with comments, half the time one of the hot
-- posts (which the comment scripts are writing to meanwhile): page 1 of 50, then page 2 from the last
-- row's cursor when page 1 was full. \aset keeps the last row's columns.
\set h random(1, 100)
\set kh random(1, :n_hot)
\set kt random(1, :n_threads)
\set p_o 0
SELECT /* page 1 */ f.comment_id, f.parent_comment_id, f.username, f.content, f.depth, f.reply_count, f.created_at, f.deleted,
       f.cursor, f.o
  FROM creator_platform.comment_thread(
         CASE WHEN :h <= 50 THEN (SELECT x.id FROM bench_load.hot_posts x WHERE x.n = :kh)
              ELSE (SELECT x.id FROM bench_load.threads x WHERE x.n = :kt) END, 50)
       WITH ORDINALITY AS f(comment_id, parent_comment_id, user_id, username, content, depth, reply_count,
                            created_at, deleted, cursor, o)
\aset p_
\if :p_o = 50
SELECT /* page 2 */ f.comment_id, f.parent_comment_id, f.username, f.content, f.depth, f.reply_count, f.created_at, f.deleted,
       f.cursor
  FROM creator_platform.comment_thread(
         CASE WHEN :h <= 50 THEN (SELECT x.id FROM bench_load.hot_posts x WHERE x.n = :kh)
              ELSE (SELECT x.id FROM bench_load.threads x WHERE x.n = :kt) END, 50, :p_cursor) f;
\endif
