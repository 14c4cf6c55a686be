-- home_feed for readers following 0, 1, 10, 1,000 and 10,000 creators: every
-- page walked to the end equals the plain SQL ORDER BY of the same rows. The
-- big readers exercise both strategies (the merge and the global walk of deep
-- pages), the small ones the pruning of the merge.
BEGIN;
SELECT plan(10);
SET search_path = creator_platform, public;

-- 10,000 creators with 1 to 3 published posts each (20,000 posts), spread over
-- a year with ties on published_at, and some drafts that must never appear.
INSERT INTO users (id, email, username, role)
SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'c' || g || '@x.io', 'cr_' || g, 'creator'
  FROM generate_series(1, 10000) g;
INSERT INTO posts (creator_id, title, status, published_at)
SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'post ' || g || '/' || k, 'published',
       timestamptz '2026-01-01' - ((g * 7919 + k * 104729) % 500000) * interval '1 minute'
  FROM generate_series(1, 10000) g, generate_series(1, 1 + g % 3) k;
INSERT INTO posts (creator_id, title)
SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'draft ' || g
  FROM generate_series(1, 10000, 97) g;

-- readers r0..r4 following 0, 1, 10, 1,000 and 10,000 of them (one
-- cancelled subscription each, which must not count)
INSERT INTO users (id, email, username)
SELECT ('00000000-0000-7000-8000-f' || lpad(n::text, 11, '0'))::uuid, 'r' || n || '@x.io', 'reader_' || n
  FROM generate_series(0, 4) n;
INSERT INTO subscriptions (subscriber_id, creator_id)
SELECT ('00000000-0000-7000-8000-f' || lpad(r.n::text, 11, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid
  FROM (VALUES (1, 1), (2, 10), (3, 1000), (4, 10000)) r(n, k),
       generate_series(1, r.k) i,
       LATERAL (SELECT 1 + ((i * 7) % 10000) AS g) x;
INSERT INTO subscriptions (subscriber_id, creator_id, status, cancelled_at)
SELECT ('00000000-0000-7000-8000-f' || lpad(n::text, 11, '0'))::uuid,
       '00000000-0000-7000-8000-000000000003', 'cancelled', now()
  FROM generate_series(0, 4) n;

-- the whole walk with a page size, as (ordinal, post_id)
CREATE FUNCTION pg_temp.walk(reader uuid, page integer) RETURNS TABLE (n bigint, post_id uuid)
LANGUAGE plpgsql AS $f$
DECLARE
    c text;
    got integer;
    k bigint := 0;
    r record;
BEGIN
    LOOP
        got := 0;
        FOR r IN SELECT f.post_id, f.cursor FROM creator_platform.home_feed(reader, page, c) f LOOP
            k := k + 1; got := got + 1; n := k; post_id := r.post_id; c := r.cursor;
            RETURN NEXT;
        END LOOP;
        EXIT WHEN got < page;
    END LOOP;
END
$f$;
CREATE FUNCTION pg_temp.expected(reader uuid) RETURNS TABLE (n bigint, post_id uuid)
LANGUAGE sql AS $f$
    SELECT row_number() OVER (ORDER BY p.published_at DESC, p.id DESC), p.id
      FROM creator_platform.posts p
      JOIN creator_platform.subscriptions s ON s.creator_id = p.creator_id
     WHERE s.subscriber_id = reader AND s.status = 'active' AND p.status = 'published'
     ORDER BY 1
$f$;

SELECT is((SELECT count(*) FROM home_feed('00000000-0000-7000-8000-f00000000000', 20)), 0::bigint,
    'a reader following nobody gets an empty feed');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000001', 1)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000001')$$,
    '1 creator, pages of 1: the walk equals ORDER BY published_at DESC, id DESC');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000002', 3)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000002')$$,
    '10 creators, pages of 3');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000003', 20)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000003')$$,
    '1,000 creators, pages of 20 (merge on early pages, global walk on deep ones)');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000003', 1000)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000003')$$,
    '1,000 creators, pages of 1,000');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000004', 1000)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000004')$$,
    '10,000 creators (every post), pages of 1,000');
SELECT results_eq($$SELECT n, post_id FROM pg_temp.walk('00000000-0000-7000-8000-f00000000004', 97)$$,
                  $$SELECT n, post_id FROM pg_temp.expected('00000000-0000-7000-8000-f00000000004')$$,
    '10,000 creators, pages of 97');
SELECT is((SELECT count(*) FROM pg_temp.walk('00000000-0000-7000-8000-f00000000004', 1000)),
          (SELECT count(*) FROM posts WHERE status = 'published'),
    'the 10,000-creator feed has every published post, once');
SELECT is((SELECT count(*) FROM home_feed('00000000-0000-7000-8000-f00000000003', 1000) WHERE locked), 0::bigint,
    'nothing is locked in a home feed');
SELECT is((SELECT count(*) FROM home_feed('00000000-0000-7000-8000-f00000000004', 1000) f
             JOIN posts p ON p.id = f.post_id WHERE p.status <> 'published'), 0::bigint,
    'no draft appears');

SELECT * FROM finish();
ROLLBACK;
