-- test/sql/walk_feeds.sql: schema cp_walk, read-only walks of every read
-- function of creator_platform (every page of a list call, with its cursors),
-- and a digest of every table. Loaded by test/tap/backup.sh (the walks of a
-- source and its restored copy must be equal) and test/tap/replica.sh (of a
-- primary and its standby).

CREATE SCHEMA cp_walk;
COMMENT ON SCHEMA cp_walk IS 'Test helpers (test/tap): read-only walks of every read function of creator_platform';

-- Every page of one list call ($1 page_size, $2 after): each row as
-- "<page> <row without its cursor>", and its cursor apart.
CREATE FUNCTION cp_walk.pages(call text, page_size integer, OUT line text, OUT cursor text) RETURNS SETOF record
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    after text;
    r record;
    n integer;
    page integer := 0;
BEGIN
    LOOP
        page := page + 1;
        n := 0;
        FOR r IN EXECUTE call USING page_size, after LOOP
            n := n + 1;
            line := page || ' ' || (to_jsonb(r) - 'cursor')::text;
            cursor := r.cursor;
            RETURN NEXT;
            after := r.cursor;
        END LOOP;
        EXIT WHEN n < page_size;
        IF page > 100000 THEN
            RAISE EXCEPTION 'the walk of % does not end', call;
        END IF;
    END LOOP;
END
$f$;

-- The calls of one kind of list, in a fixed order: (call, page_size).
CREATE FUNCTION cp_walk.calls(kind text) RETURNS TABLE (call text, page_size integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$
    WITH viewer(v) AS (
        SELECT NULL::uuid
        UNION ALL SELECT u.id FROM creator_platform.users u WHERE u.username = 'demo_reader'
        UNION ALL (SELECT u.id FROM creator_platform.users u WHERE u.role = 'admin' ORDER BY u.id LIMIT 1)),
    creator(id) AS (SELECT u.id FROM creator_platform.users u WHERE u.role <> 'reader'),
    thread(post_id) AS (SELECT c.post_id FROM creator_platform.comments c
                        UNION SELECT c.post_id FROM creator_platform.comments_archive c),
    root(post_id, id) AS (SELECT c.post_id, c.id FROM creator_platform.comments c
                           WHERE c.parent_comment_id IS NULL AND c.reply_count > 0
                          UNION ALL
                          SELECT c.post_id, c.id FROM creator_platform.comments_archive c
                           WHERE c.parent_comment_id IS NULL AND c.reply_count > 0),
    follower(id) AS (SELECT DISTINCT s.subscriber_id FROM creator_platform.subscriptions s),
    status(s) AS (VALUES ('active'), ('cancelled'))
    SELECT x.call, x.page_size FROM (
        SELECT 'creator_posts' AS k, format('SELECT * FROM creator_platform.creator_posts(%L, %L, $1, $2)', c.id, v.v) AS call,
               7 AS page_size, c.id::text || coalesce(v.v::text, '') AS o
          FROM creator c CROSS JOIN viewer v
        UNION ALL
        SELECT 'recent_posts', format('SELECT * FROM creator_platform.recent_posts(%L, $1, $2)', v.v), p.ps,
               p.ps || coalesce(v.v::text, '')
          FROM viewer v CROSS JOIN (VALUES (3), (1000)) AS p(ps)
        UNION ALL
        SELECT 'home_feed', format('SELECT * FROM creator_platform.home_feed(%L, $1, $2)', f.id), 5, f.id::text
          FROM follower f
        UNION ALL
        SELECT 'comment_thread', format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, %L)', t.post_id, d.d),
               4, t.post_id::text || coalesce(d.d::text, '')
          FROM thread t CROSS JOIN (VALUES (NULL::integer), (0), (1)) AS d(d)
        UNION ALL
        SELECT 'comment_thread', format('SELECT * FROM creator_platform.comment_thread(%L, $1, $2, NULL, %L)', r.post_id, r.id),
               2, 'root' || r.id::text
          FROM root r
        UNION ALL
        SELECT 'subscriptions_of', format('SELECT * FROM creator_platform.subscriptions_of(%L, %L, $1, $2)', f.id, s.s), 3,
               f.id::text || s.s
          FROM follower f CROSS JOIN status s
        UNION ALL
        SELECT 'subscribers_of', format('SELECT * FROM creator_platform.subscribers_of(%L, %L, $1, $2)', c.id, s.s), 3,
               c.id::text || s.s
          FROM creator c CROSS JOIN status s
    ) x WHERE x.k = kind ORDER BY x.o
$f$;

-- Everything one kind of read returns, line by line, in a fixed order; with
-- cursors: each list row's cursor too.
CREATE FUNCTION cp_walk.lines(kind text, cursors boolean DEFAULT true) RETURNS SETOF text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    c record;
BEGIN
    IF kind = 'post_view' THEN
        RETURN QUERY
        SELECT p.id::text || ' ' || coalesce(v.v::text, '-') || ' ' || coalesce(pv::text, 'no row')
          FROM (SELECT id FROM creator_platform.posts UNION ALL SELECT id FROM creator_platform.posts_archive) p
         CROSS JOIN (SELECT NULL::uuid AS v UNION ALL
                     SELECT u.id FROM creator_platform.users u WHERE u.username = 'demo_reader') v
          LEFT JOIN LATERAL creator_platform.post_view(p.id, v.v) pv ON true
         ORDER BY p.id, v.v NULLS FIRST;
    ELSIF kind = 'uuid_v7_timestamp' THEN
        RETURN QUERY
        SELECT i.id::text || ' ' || creator_platform.uuid_v7_timestamp(i.id)::text
          FROM (SELECT id FROM creator_platform.users UNION ALL SELECT id FROM creator_platform.posts
                UNION ALL SELECT id FROM creator_platform.comments UNION ALL SELECT id FROM creator_platform.subscriptions
                UNION ALL SELECT id FROM creator_platform.posts_archive
                UNION ALL SELECT id FROM creator_platform.comments_archive) i
         ORDER BY i.id;
    ELSIF kind = 'creator_stats' THEN
        RETURN QUERY SELECT s::text FROM creator_platform.creator_stats s ORDER BY s.creator_id;
    ELSIF kind = 'trending_posts' THEN
        RETURN QUERY SELECT t.rank || ' ' || t.post_id FROM creator_platform.trending_posts t ORDER BY t.rank;
    ELSE
        FOR c IN SELECT x.call, x.page_size FROM cp_walk.calls(kind) x LOOP
            RETURN QUERY SELECT c.call || ' | ' || w.line || CASE WHEN cursors THEN ' ' || w.cursor ELSE '' END
                           FROM cp_walk.pages(c.call, c.page_size) WITH ORDINALITY AS w(line, cursor, n)
                          ORDER BY w.n;
        END LOOP;
    END IF;
END
$f$;

-- The line count and an md5 of all lines of one kind.
CREATE FUNCTION cp_walk.digest(kind text, cursors boolean DEFAULT true) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT count(*) || ' lines, md5 ' || coalesce(md5(string_agg(l.l, E'\n' ORDER BY l.n)), '-')
      FROM cp_walk.lines(kind, cursors) WITH ORDINALITY AS l(l, n)
$f$;

-- Each table of the extension (and the events sequence): rows and an md5 of
-- every row in id order, every column included.
CREATE FUNCTION cp_walk.tables() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT t.name || ' ' || t.n || ' rows, md5 ' || coalesce(t.h, '-') FROM (
        SELECT 1 AS o, 'users' AS name, count(*) AS n, md5(string_agg(x::text, E'\n' ORDER BY x.id)) AS h FROM creator_platform.users x
        UNION ALL SELECT 2, 'posts', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.posts x
        UNION ALL SELECT 3, 'comments', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.comments x
        UNION ALL SELECT 4, 'subscriptions', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.subscriptions x
        UNION ALL SELECT 5, 'posts_archive', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.posts_archive x
        UNION ALL SELECT 6, 'comments_archive', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.comments_archive x
        UNION ALL SELECT 7, 'events', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.id)) FROM creator_platform.events x
        UNION ALL SELECT 8, 'events_id_seq', 1, (SELECT s.last_value || ' ' || s.is_called FROM creator_platform.events_id_seq s)
        UNION ALL SELECT 9, 'creator_activity', count(*), md5(string_agg(x::text, E'\n' ORDER BY x.creator_id)) FROM creator_platform.creator_activity x
        UNION ALL SELECT 10, 'cursor_secret', count(*), md5(string_agg(x::text, E'\n')) FROM creator_platform.cursor_secret x
    ) t ORDER BY t.o
$f$;
