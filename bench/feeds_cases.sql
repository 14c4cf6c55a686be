-- bench/feeds_cases.sql: the cases of the feed benchmark (bench/feeds.sh runs it
-- after bench/feeds_setup.sql and VACUUM ANALYZE).
--
--   psql -X -v ON_ERROR_STOP=1 -d bench -f bench/feeds_cases.sql
--
-- Finds the deep pages' cursors by walking the pages before them with the
-- functions themselves, reads the keyset positions of the same rows for the SQL
-- side, and writes one row per (benchmark, case, side) into bench_feeds.cases:
--
--   home_feed      readers following 10, 100, 1,000 creators; page 1 and page 50 (size 20)
--     function     creator_platform.home_feed(reader, 20, cursor)
--     sql_in       (a) posts of the followed creators (IN subquery) UNION ALL the archive's,
--                  keyset condition, ORDER BY published_at DESC, id DESC LIMIT 20, whole rows
--     sql_in_keys  (a) the same, keys first (index-only), the 20 rows fetched by id after the LIMIT
--     sql_lateral  (b) per followed creator a LATERAL top-20 (live UNION ALL archive) below the
--                  position, then ORDER BY ... LIMIT 20, rows fetched by id after the LIMIT
--     sql_offset   (c) page 50 only: (a) keys first without keyset, OFFSET 980 LIMIT 20
--   creator_posts  bench_big_creator (21,000 posts), page 1 and page 1,000 (size 20), anonymous viewer
--     function, sql_keyset (the raw keyset SELECT, live UNION ALL archive)
--   thread_50k     the 51,000-comment post, page 1 and page 1,000 (size 50)
--     function, sql_keyset (a range of (post_id, path), live UNION ALL archive)
--   thread_10k     the 10,200-comment post, page 1 and page 100 (size 50)
--     function, sql_keyset, cte_full, cte_pruned (recursive CTEs without the path column)
--
-- Then checks that every side returns the function's ids in the function's order.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET jit = off;
\o /dev/null
SELECT clock_timestamp() AS t0 \gset

-- Walk `pages` pages of a feed function: call is a format() template with one
-- %L for the cursor, selecting (cursor, id) in page order. Returns the last
-- row of the last page walked: its cursor, to ask for the next page.
CREATE FUNCTION bench_feeds.walk(call text, pages int, page_size int, OUT cursor text, OUT last_id text)
LANGUAGE plpgsql AS $$
DECLARE
    cnt bigint;
BEGIN
    cursor := NULL;
    FOR i IN 1 .. pages LOOP
        EXECUTE format('SELECT (array_agg(x.c ORDER BY x.n))[count(*)], (array_agg(x.i ORDER BY x.n))[count(*)], count(*) '
                       'FROM (SELECT q.c, q.i, row_number() OVER () AS n FROM (%s) AS q(c, i)) AS x', format(call, cursor))
           INTO cursor, last_id, cnt;
        IF cnt <> page_size THEN
            RAISE EXCEPTION 'bench_feeds.walk: page % of % has % rows, not %', i, format(call, '...'), cnt, page_size;
        END IF;
    END LOOP;
END
$$;

SELECT bench_feeds.fix('home_feed_page_size', '20'), bench_feeds.fix('home_feed_id_column', 'post_id'),
       bench_feeds.fix('creator_posts_page_size', '20'), bench_feeds.fix('creator_posts_id_column', 'post_id'),
       bench_feeds.fix('thread_50k_page_size', '50'), bench_feeds.fix('thread_50k_id_column', 'comment_id'),
       bench_feeds.fix('thread_10k_page_size', '50'), bench_feeds.fix('thread_10k_id_column', 'comment_id');

--------------------------------------------------------------------------------
-- home_feed
--------------------------------------------------------------------------------
-- page 50 = rows 981..1000: walk 49 pages; the SQL side starts below the 980th row
SELECT bench_feeds.fix(format('home_feed_s%s_cursor', r.n), w.cursor),
       bench_feeds.fix(format('home_feed_s%s_pos_id', r.n), w.last_id),
       bench_feeds.fix(format('home_feed_s%s_pos_time', r.n),
                       (SELECT p.published_at::text FROM creator_platform.posts p WHERE p.id = w.last_id::uuid
                        UNION ALL
                        SELECT pa.published_at::text FROM creator_platform.posts_archive pa WHERE pa.id = w.last_id::uuid))
  FROM bench_feeds.readers r
 CROSS JOIN LATERAL bench_feeds.walk(format('SELECT f.cursor, f.post_id::text FROM creator_platform.home_feed(%L, 20, %%L) AS f',
                                            r.reader_id), 49, 20) AS w;

CREATE FUNCTION pg_temp.home_feed_sql(side text, reader uuid, pos_time text, pos_id text) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
    keyset text := CASE WHEN pos_time IS NULL THEN ''
                        ELSE format(E'\n           AND (l.published_at, l.id) < (%L::timestamptz, %L::uuid)', pos_time, pos_id) END;
    followed text := format('(SELECT s.creator_id FROM creator_platform.subscriptions s
                                WHERE s.subscriber_id = %L::uuid AND s.status = ''active'')', reader);
    row_cols text := 'l.id, l.creator_id, l.title, l.content, l.visibility, l.published_at, l.comment_count';
    -- the 20 rows of a page of keys k(id, published_at), live or archived, in page order
    rows_by_id text := '
 CROSS JOIN LATERAL (SELECT ' || row_cols || ' FROM creator_platform.posts l WHERE l.id = k.id
                     UNION ALL
                     SELECT ' || row_cols || ' FROM creator_platform.posts_archive l WHERE l.id = k.id) AS r
  JOIN creator_platform.users u ON u.id = r.creator_id
 ORDER BY k.published_at DESC, k.id DESC';
    out_cols text := 'r.id AS post_id, r.creator_id, u.username AS creator_username, r.title, r.content, r.visibility,
       false AS locked, r.published_at, r.comment_count';
BEGIN
    IF side = 'sql_in' THEN
        RETURN format($q$SELECT r.id AS post_id, r.creator_id, u.username AS creator_username, r.title, r.content, r.visibility,
       false AS locked, r.published_at, r.comment_count
  FROM (SELECT %1$s FROM creator_platform.posts l
         WHERE l.status = 'published' AND l.creator_id IN %2$s%3$s
        UNION ALL
        SELECT %1$s FROM creator_platform.posts_archive l
         WHERE l.status = 'published' AND l.creator_id IN %2$s%3$s
        ORDER BY published_at DESC, id DESC
        LIMIT 20) AS r
  JOIN creator_platform.users u ON u.id = r.creator_id
 ORDER BY r.published_at DESC, r.id DESC$q$, row_cols, followed, keyset);
    ELSIF side IN ('sql_in_keys', 'sql_offset') THEN
        RETURN format($q$SELECT %1$s
  FROM (SELECT l.id, l.published_at FROM creator_platform.posts l
         WHERE l.status = 'published' AND l.creator_id IN %2$s%3$s
        UNION ALL
        SELECT l.id, l.published_at FROM creator_platform.posts_archive l
         WHERE l.status = 'published' AND l.creator_id IN %2$s%3$s
        ORDER BY published_at DESC, id DESC
        LIMIT 20%4$s) AS k%5$s$q$, out_cols, followed, keyset,
                      CASE WHEN side = 'sql_offset' THEN ' OFFSET 980' ELSE '' END, rows_by_id);
    ELSIF side = 'sql_lateral' THEN
        RETURN format($q$SELECT %1$s
  FROM (SELECT t.id, t.published_at
          FROM creator_platform.subscriptions s
         CROSS JOIN LATERAL (
               (SELECT l.id, l.published_at FROM creator_platform.posts l
                 WHERE l.creator_id = s.creator_id AND l.status = 'published'%3$s
                 ORDER BY l.published_at DESC, l.id DESC LIMIT 20)
               UNION ALL
               (SELECT l.id, l.published_at FROM creator_platform.posts_archive l
                 WHERE l.creator_id = s.creator_id AND l.status = 'published'%3$s
                 ORDER BY l.published_at DESC, l.id DESC LIMIT 20)) AS t
         WHERE s.subscriber_id = %2$L::uuid AND s.status = 'active'
         ORDER BY t.published_at DESC, t.id DESC
         LIMIT 20) AS k%4$s$q$, out_cols, reader, replace(keyset, E'\n           ', E'\n                   '), rows_by_id);
    END IF;
    RAISE EXCEPTION 'home_feed_sql: unknown side %', side;
END
$fn$;

INSERT INTO bench_feeds.cases (bench, grp, case_key, case_ord, side, side_ord, q)
SELECT 'home_feed', format('s%s', r.n), format('s%s_p%s', r.n, pg.page), r.n * 10 + pg.page / 50, x.side, x.ord,
       CASE WHEN x.side = 'function'
            THEN format('SELECT f.post_id, f.creator_id, f.creator_username, f.title, f.content, f.visibility, f.locked, '
                        'f.published_at, f.comment_count, f.cursor FROM creator_platform.home_feed(%L::uuid, 20, %L) AS f',
                        r.reader_id, CASE WHEN pg.page = 50 THEN bench_feeds.fix(format('home_feed_s%s_cursor', r.n)) END)
            ELSE pg_temp.home_feed_sql(x.side, r.reader_id,
                                       CASE WHEN pg.page = 50 AND x.side <> 'sql_offset' THEN bench_feeds.fix(format('home_feed_s%s_pos_time', r.n)) END,
                                       CASE WHEN pg.page = 50 AND x.side <> 'sql_offset' THEN bench_feeds.fix(format('home_feed_s%s_pos_id', r.n)) END)
       END
  FROM bench_feeds.readers r
 CROSS JOIN (VALUES (1), (50)) AS pg(page)
 CROSS JOIN (VALUES ('function', 1), ('sql_in', 2), ('sql_in_keys', 3), ('sql_lateral', 4), ('sql_offset', 5)) AS x(side, ord)
 WHERE x.side <> 'sql_offset' OR pg.page = 50;

SELECT format('feeds_cases: %-28s %8s s', 'home_feed cursors',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- creator_posts: page 1,000 = rows 19,981..20,000 of the big creator
--------------------------------------------------------------------------------
SELECT bench_feeds.fix('creator_posts_cursor', w.cursor),
       bench_feeds.fix('creator_posts_pos_id', w.last_id),
       bench_feeds.fix('creator_posts_pos_time',
                       (SELECT p.published_at::text FROM creator_platform.posts p WHERE p.id = w.last_id::uuid))
  FROM bench_feeds.walk(format('SELECT f.cursor, f.post_id::text FROM creator_platform.creator_posts(%L, NULL, 20, %%L) AS f',
                               bench_feeds.fix('big_creator')), 999, 20) AS w;

INSERT INTO bench_feeds.cases (bench, grp, case_key, case_ord, side, side_ord, q)
SELECT 'creator_posts', 'big_creator', format('p%s', pg.page), pg.page, x.side, x.ord,
       CASE WHEN x.side = 'function'
            THEN format('SELECT f.post_id, f.creator_id, f.creator_username, f.title, f.content, f.visibility, f.locked, '
                        'f.published_at, f.comment_count, f.cursor FROM creator_platform.creator_posts(%L::uuid, NULL, 20, %L) AS f',
                        bench_feeds.fix('big_creator'), CASE WHEN pg.page > 1 THEN bench_feeds.fix('creator_posts_cursor') END)
            ELSE format($q$SELECT p.id AS post_id, p.creator_id, u.username AS creator_username, p.title,
       CASE WHEN p.visibility = 'subscribers' THEN NULL ELSE p.content END AS content, p.visibility,
       p.visibility = 'subscribers' AS locked, p.published_at, p.comment_count
  FROM ((SELECT l.id, l.creator_id, l.title, l.content, l.visibility, l.published_at, l.comment_count
           FROM creator_platform.posts l
          WHERE l.creator_id = %1$L::uuid AND l.status = 'published'%2$s
          ORDER BY l.published_at DESC, l.id DESC LIMIT 20)
        UNION ALL
        (SELECT l.id, l.creator_id, l.title, l.content, l.visibility, l.published_at, l.comment_count
           FROM creator_platform.posts_archive l
          WHERE l.creator_id = %1$L::uuid AND l.status = 'published'%2$s
          ORDER BY l.published_at DESC, l.id DESC LIMIT 20)
        ORDER BY published_at DESC, id DESC LIMIT 20) AS p
  JOIN creator_platform.users u ON u.id = p.creator_id
 ORDER BY p.published_at DESC, p.id DESC$q$,
                        bench_feeds.fix('big_creator'),
                        CASE WHEN pg.page > 1
                             THEN format(' AND (l.published_at, l.id) < (%L::timestamptz, %L::uuid)',
                                         bench_feeds.fix('creator_posts_pos_time'), bench_feeds.fix('creator_posts_pos_id'))
                             ELSE '' END)
       END
  FROM (VALUES (1), (1000)) AS pg(page)
 CROSS JOIN (VALUES ('function', 1), ('sql_keyset', 2)) AS x(side, ord);

SELECT format('feeds_cases: %-28s %8s s', 'creator_posts cursor',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- comment_thread: page 1,000 of the 51,000-comment post (rows 49,951..50,000),
-- page 100 of the 10,200-comment post (rows 4,951..5,000)
--------------------------------------------------------------------------------
SELECT bench_feeds.fix(format('%s_cursor', t.bench), w.cursor),
       bench_feeds.fix(format('%s_pos_id', t.bench), w.last_id),
       bench_feeds.fix(format('%s_pos_path', t.bench),
                       (SELECT c.path::text FROM creator_platform.comments c WHERE c.id = w.last_id::uuid)),
       -- the same position as an array of (created_at, id), root first, for the CTEs
       bench_feeds.fix(format('%s_pos_keys', t.bench),
                       (WITH RECURSIVE up (id, parent_comment_id, created_at, lvl) AS (
                            SELECT c.id, c.parent_comment_id, c.created_at, 0
                              FROM creator_platform.comments c WHERE c.id = w.last_id::uuid
                            UNION ALL
                            SELECT c.id, c.parent_comment_id, c.created_at, up.lvl + 1
                              FROM up JOIN creator_platform.comments c ON c.id = up.parent_comment_id)
                        SELECT array_agg(ROW(up.created_at, up.id)::bench_feeds.ckey ORDER BY up.lvl DESC)::text FROM up))
  FROM (VALUES ('thread_50k', 999), ('thread_10k', 99)) AS t(bench, pages)
 CROSS JOIN LATERAL bench_feeds.walk(format('SELECT f.cursor, f.comment_id::text FROM creator_platform.comment_thread(%L, 50, %%L) AS f',
                                            bench_feeds.fix(t.bench)), t.pages, 50) AS w;

CREATE FUNCTION pg_temp.thread_sql(side text, post uuid, pos_path text, pos_keys text) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
    cols text := 'c.id AS comment_id, c.parent_comment_id, c.user_id, u.username, c.content, c.depth, c.reply_count, c.created_at,
       c.deleted_at IS NOT NULL AS deleted';
    row_cols text := 'l.id, l.parent_comment_id, l.user_id, l.content, l.depth, l.reply_count, l.created_at, l.deleted_at';
    -- the 50 comments of a page of keys t(id, k), live or archived, in page order
    rows_by_id text := '
 CROSS JOIN LATERAL (SELECT ' || row_cols || ' FROM creator_platform.comments l WHERE l.id = t.id
                     UNION ALL
                     SELECT ' || row_cols || ' FROM creator_platform.comments_archive l WHERE l.id = t.id) AS c
  LEFT JOIN creator_platform.users u ON u.id = c.user_id
 ORDER BY t.k';
    keys text := format('%L::bench_feeds.ckey[]', coalesce(pos_keys, '{}'));
    min_key text := $k$ROW('-infinity', '00000000-0000-0000-0000-000000000000')::bench_feeds.ckey$k$;
BEGIN
    IF side = 'sql_keyset' THEN
        RETURN format($q$SELECT %1$s
  FROM ((SELECT %2$s, l.path FROM creator_platform.comments l
          WHERE l.post_id = %3$L::uuid%4$s
          ORDER BY l.path LIMIT 50)
        UNION ALL
        (SELECT %2$s, l.path FROM creator_platform.comments_archive l
          WHERE l.post_id = %3$L::uuid%4$s
          ORDER BY l.path LIMIT 50)
        ORDER BY path LIMIT 50) AS c
  LEFT JOIN creator_platform.users u ON u.id = c.user_id
 ORDER BY c.path$q$, cols, row_cols, post,
                      CASE WHEN pos_path IS NULL THEN '' ELSE format(' AND l.path > %L::bytea', pos_path) END);
    ELSIF side = 'cte_full' THEN
        -- the whole thread with its depth-first keys, sorted, then the page
        RETURN format($q$WITH RECURSIVE t (id, k) AS (
    SELECT r.id, ARRAY[ROW(r.created_at, r.id)::bench_feeds.ckey]
      FROM (SELECT l.id, l.created_at FROM creator_platform.comments l
             WHERE l.post_id = %2$L::uuid AND l.parent_comment_id IS NULL
            UNION ALL
            SELECT l.id, l.created_at FROM creator_platform.comments_archive l
             WHERE l.post_id = %2$L::uuid AND l.parent_comment_id IS NULL) AS r
  UNION ALL
    SELECT r.id, t.k || ROW(r.created_at, r.id)::bench_feeds.ckey
      FROM t
     CROSS JOIN LATERAL (SELECT l.id, l.created_at FROM creator_platform.comments l
                          WHERE l.parent_comment_id = t.id
                         UNION ALL
                         SELECT l.id, l.created_at FROM creator_platform.comments_archive l
                          WHERE l.parent_comment_id = t.id
                         OFFSET 0) AS r
)
SELECT %1$s
  FROM (SELECT t.id, t.k FROM t WHERE t.k > %3$s ORDER BY t.k LIMIT 50) AS t%4$s$q$, cols, post, keys, rows_by_id);
    ELSIF side = 'cte_pruned' THEN
        -- Only what can reach the page: the page holds at most 50 comments after
        -- the position, so per level only the 51 smallest keys (the position's
        -- own ancestor at that level and 50 more) need expanding, per parent only
        -- its 51 oldest children (at or after the position's key on the
        -- position's path); subtrees before the position are never entered.
        RETURN format($q$WITH RECURSIVE t (id, k, rn) AS (
    SELECT r.id, ARRAY[ROW(r.created_at, r.id)::bench_feeds.ckey], row_number() OVER (ORDER BY r.created_at, r.id)
      FROM ((SELECT l.id, l.created_at FROM creator_platform.comments l
              WHERE l.post_id = %2$L::uuid AND l.parent_comment_id IS NULL
                AND (l.created_at, l.id) >= ((%3$s).created_at, (%3$s).id)
              ORDER BY l.created_at, l.id LIMIT 51)
            UNION ALL
            (SELECT l.id, l.created_at FROM creator_platform.comments_archive l
              WHERE l.post_id = %2$L::uuid AND l.parent_comment_id IS NULL
                AND (l.created_at, l.id) >= ((%3$s).created_at, (%3$s).id)
              ORDER BY l.created_at, l.id LIMIT 51)) AS r
  UNION ALL
    SELECT r.id, t.k || ROW(r.created_at, r.id)::bench_feeds.ckey,
           row_number() OVER (ORDER BY t.k, r.created_at, r.id)
      FROM t
     CROSS JOIN LATERAL (SELECT CASE WHEN t.k = (%4$s)[1:cardinality(t.k)]
                                     THEN coalesce((%4$s)[cardinality(t.k) + 1], %5$s)
                                     ELSE %5$s END AS lb) AS b
     CROSS JOIN LATERAL ((SELECT l.id, l.created_at FROM creator_platform.comments l
                           WHERE l.parent_comment_id = t.id AND (l.created_at, l.id) >= ((b.lb).created_at, (b.lb).id)
                           ORDER BY l.created_at, l.id LIMIT 51)
                         UNION ALL
                         (SELECT l.id, l.created_at FROM creator_platform.comments_archive l
                           WHERE l.parent_comment_id = t.id AND (l.created_at, l.id) >= ((b.lb).created_at, (b.lb).id)
                           ORDER BY l.created_at, l.id LIMIT 51)) AS r
     WHERE t.rn <= 51
)
SELECT %1$s
  FROM (SELECT t.id, t.k FROM t WHERE t.rn <= 51 AND t.k > %4$s ORDER BY t.k LIMIT 50) AS t%6$s$q$,
                      cols, post,
                      format('coalesce((%s)[1], %s)', keys, min_key), keys, min_key, rows_by_id);
    END IF;
    RAISE EXCEPTION 'thread_sql: unknown side %', side;
END
$fn$;

INSERT INTO bench_feeds.cases (bench, grp, case_key, case_ord, side, side_ord, q)
-- The whole-thread CTE (about 30 ms, 31,000 buffers) is measured in a session of
-- its own: taking turns with the others, it evicted the CPU caches before the
-- sub-millisecond sides and widened their spread (interquartile 0.14-0.21 ms
-- for a 0.12 ms call), whichever side they were.
SELECT t.bench, CASE WHEN x.side = 'cte_full' THEN 'post_whole_thread_cte' ELSE 'post' END,
       format('p%s', pg.page), pg.page, x.side, x.ord,
       CASE WHEN x.side = 'function'
            THEN format('SELECT f.comment_id, f.parent_comment_id, f.user_id, f.username, f.content, f.depth, f.reply_count, '
                        'f.created_at, f.deleted, f.cursor FROM creator_platform.comment_thread(%L::uuid, 50, %L) AS f',
                        bench_feeds.fix(t.bench), CASE WHEN pg.page > 1 THEN bench_feeds.fix(t.bench || '_cursor') END)
            ELSE pg_temp.thread_sql(x.side, bench_feeds.fix(t.bench)::uuid,
                                    CASE WHEN pg.page > 1 THEN bench_feeds.fix(t.bench || '_pos_path') END,
                                    CASE WHEN pg.page > 1 THEN bench_feeds.fix(t.bench || '_pos_keys') END)
       END
  FROM (VALUES ('thread_50k', 1000), ('thread_10k', 100)) AS t(bench, deep)
 CROSS JOIN LATERAL (VALUES (1), (t.deep)) AS pg(page)
 CROSS JOIN (VALUES ('function', 1), ('sql_keyset', 2), ('cte_full', 3), ('cte_pruned', 4)) AS x(side, ord)
 WHERE x.side NOT LIKE 'cte%' OR t.bench = 'thread_10k';

SELECT format('feeds_cases: %-28s %8s s', 'comment_thread cursors',
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg

--------------------------------------------------------------------------------
-- Same ids, same order
--------------------------------------------------------------------------------
SELECT bench_feeds.verify('home_feed') + bench_feeds.verify('creator_posts') + bench_feeds.verify('thread_50k')
       + bench_feeds.verify('thread_10k') AS n_checked \gset
SELECT format('feeds_cases: %-28s %8s s', format('%s sides = the function', :n_checked),
              to_char(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t0 \gset
\echo :msg
