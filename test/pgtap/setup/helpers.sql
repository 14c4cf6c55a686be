-- Helpers shared by the pgTAP files, loaded once into the test database by
-- scripts/run-tests.sh (after pgtap and creator_platform). Not part of the
-- extension.
CREATE SCHEMA cp_test;

-- A digest of every row of the extension's tables: equal before and after a
-- statement exactly when the statement changed nothing.
CREATE FUNCTION cp_test.db_state() RETURNS text LANGUAGE sql AS $f$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.users t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.posts t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.comments t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.subscriptions t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.posts_archive t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.comments_archive t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM creator_platform.events t)))
$f$;

-- throws_ok plus "nothing changed": two tests.
CREATE FUNCTION cp_test.rejects(stmt text, state char(5), what text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
    before text := cp_test.db_state();
BEGIN
    RETURN NEXT public.throws_ok(stmt, state, NULL, what);
    RETURN NEXT public.is(cp_test.db_state(), before, what || ': nothing changed');
END
$f$;

-- Every counter that disagrees with the rows it counts (API.md, "Counters"):
-- posts.comment_count = comments of the post with deleted_at IS NULL;
-- comments.reply_count = direct replies present (placeholders included).
-- No row when every counter of the database is exact.
CREATE FUNCTION cp_test.counter_mismatches()
RETURNS TABLE (counter text, id uuid, have integer, want bigint) LANGUAGE sql AS $f$
    SELECT 'posts.comment_count', p.id, p.comment_count, n.live
      FROM creator_platform.posts p
     CROSS JOIN LATERAL (SELECT count(*) AS live FROM creator_platform.comments c
                          WHERE c.post_id = p.id AND c.deleted_at IS NULL) AS n
     WHERE p.comment_count <> n.live
    UNION ALL
    SELECT 'comments.reply_count', c.id, c.reply_count, n.replies
      FROM creator_platform.comments c
     CROSS JOIN LATERAL (SELECT count(*) AS replies FROM creator_platform.comments r
                          WHERE r.parent_comment_id = c.id) AS n
     WHERE c.reply_count <> n.replies
$f$;

-- All pages of `call` ($1 page_size, $2 after), starting after `start`:
-- every row without its cursor (item), numbered, and the cursor apart; at
-- most 5,000 pages (230_feed_archive, 310_archive_transparent).
CREATE FUNCTION cp_test.walk(call text, page_size int, start text DEFAULT NULL,
                             OUT ord bigint, OUT item jsonb, OUT cursor text)
RETURNS SETOF record LANGUAGE plpgsql AS $f$
DECLARE
    after text := start;
    r record;
    n int;
    pages int := 0;
BEGIN
    ord := 0;
    LOOP
        n := 0;
        pages := pages + 1;
        FOR r IN EXECUTE call USING page_size, after LOOP
            n := n + 1;
            ord := ord + 1;
            item := to_jsonb(r) - 'cursor';
            cursor := r.cursor;
            RETURN NEXT;
            after := r.cursor;
        END LOOP;
        EXIT WHEN n < page_size OR pages > 5000 OR after IS NULL;
    END LOOP;
END
$f$;
