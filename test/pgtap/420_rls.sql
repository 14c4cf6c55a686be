-- 420_rls: row-level security, opt-in (issue 6, "Row-level security";
-- docs/security.md): who sees which rows of posts, posts_archive, comments and
-- comments_archive when an application reads the tables directly.
--   * the policies exist from the install, and row-level security is off
--     until enable_row_security(); enable and disable are idempotent and for
--     the owner only (42501 for an application role, nothing changed);
--   * the viewer is the transaction-local setting creator_platform.viewer_id
--     (viewer_id(): NULL when unset or empty; a value that is not a uuid is
--     refused when set, 22023);
--   * the whole matrix, for the application role (grant_usage), with row
--     security on: drafts and scheduled posts only to their creator; a
--     published subscribers post (live or archived) to its creator, admins
--     and active subscribers of its creator; public ones to everyone; a
--     comment exactly when its post; anonymous, an unknown id, a cancelled
--     subscriber, a stranger, another creator, an admin, a subscriber, the
--     creator; the same for a second viewer in the same transaction;
--   * with row security off (before enabling, after disabling), and for the
--     owner at all times, every row;
--   * the feeds do not go through the policies: they show a subscribers post
--     to a stranger locked, as they do without row security;
--   * the viewer is read once per statement (an InitPlan), and the policies
--     leave the primary key lookup an index scan.
-- Writes under row security: 421_rls_writes.sql; maintenance roles:
-- 422_rls_maintenance.sql; the setting across transactions:
-- 423_rls_transaction_local.sql.
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(48);

-- Runs `query` (one text value) as `role` with the viewer `viewer` (NULL:
-- unset); the result, or ERROR and the SQLSTATE. Role and viewer are reset.
CREATE FUNCTION pg_temp.as_viewer(role text, viewer text, query text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', role);
        PERFORM set_config('creator_platform.viewer_id', coalesce(viewer, ''), true);
        EXECUTE query INTO result;
        PERFORM set_config('creator_platform.viewer_id', '', true);
        RESET ROLE;
        RETURN coalesce(result, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        RETURN 'ERROR ' || SQLSTATE;
    END;
END
$f$;

--------------------------------------------------------------------------------
-- data: creators c1, c2; admin a1; readers e1 (active subscriber of c1), e2
-- (cancelled), e3 (a stranger)
-- c1: pub (public), sub (subscribers), draft, sched (scheduled), and two
-- archived: apub (public), asub (subscribers); c2: sub2 (subscribers), draft2
-- one comment on each published post, a reply on sub
--------------------------------------------------------------------------------
INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000420c1', 'c1@420.test', 'u420_c1', 'creator'),
    ('00000000-0000-7000-8000-0000000420c2', 'c2@420.test', 'u420_c2', 'creator'),
    ('00000000-0000-7000-8000-0000000420a1', 'a1@420.test', 'u420_a1', 'admin'),
    ('00000000-0000-7000-8000-0000000420e1', 'e1@420.test', 'u420_e1', 'reader'),
    ('00000000-0000-7000-8000-0000000420e2', 'e2@420.test', 'u420_e2', 'reader'),
    ('00000000-0000-7000-8000-0000000420e3', 'e3@420.test', 'u420_e3', 'reader');
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at) VALUES
    ('00000000-0000-7000-8000-000000420b01', '00000000-0000-7000-8000-0000000420c1', 'pub', 'c', 'published', 'public', now() - interval '1 hour'),
    ('00000000-0000-7000-8000-000000420b02', '00000000-0000-7000-8000-0000000420c1', 'sub', 'c', 'published', 'subscribers', now() - interval '2 hours'),
    ('00000000-0000-7000-8000-000000420b03', '00000000-0000-7000-8000-0000000420c1', 'draft', 'c', 'draft', 'public', NULL),
    ('00000000-0000-7000-8000-000000420b04', '00000000-0000-7000-8000-0000000420c1', 'sched', 'c', 'scheduled', 'public', now() + interval '1 day'),
    ('00000000-0000-7000-8000-000000420b05', '00000000-0000-7000-8000-0000000420c1', 'apub', 'c', 'published', 'public', now() - interval '3 years'),
    ('00000000-0000-7000-8000-000000420b06', '00000000-0000-7000-8000-0000000420c1', 'asub', 'c', 'published', 'subscribers', now() - interval '3 years 1 hour'),
    ('00000000-0000-7000-8000-000000420b21', '00000000-0000-7000-8000-0000000420c2', 'sub2', 'c', 'published', 'subscribers', now() - interval '3 hours'),
    ('00000000-0000-7000-8000-000000420b22', '00000000-0000-7000-8000-0000000420c2', 'draft2', 'c', 'draft', 'subscribers', NULL);
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-00000420c001', '00000000-0000-7000-8000-000000420b01', '00000000-0000-7000-8000-0000000420e3', 'on pub'),
    ('00000000-0000-7000-8000-00000420c002', '00000000-0000-7000-8000-000000420b02', '00000000-0000-7000-8000-0000000420e1', 'on sub'),
    ('00000000-0000-7000-8000-00000420c005', '00000000-0000-7000-8000-000000420b05', '00000000-0000-7000-8000-0000000420e3', 'on apub'),
    ('00000000-0000-7000-8000-00000420c006', '00000000-0000-7000-8000-000000420b06', '00000000-0000-7000-8000-0000000420e1', 'on asub'),
    ('00000000-0000-7000-8000-00000420c021', '00000000-0000-7000-8000-000000420b21', '00000000-0000-7000-8000-0000000420a1', 'on sub2');
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-00000420c012', '00000000-0000-7000-8000-000000420b02', '00000000-0000-7000-8000-0000000420c1',
     '00000000-0000-7000-8000-00000420c002', 'reply on sub');
SELECT is(archive_posts(now() - interval '2 years'), 2::bigint, 'fixture: apub and asub are archived');
DO $$
BEGIN
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000420e1', '00000000-0000-7000-8000-0000000420c1');
    PERFORM creator_platform.subscribe('00000000-0000-7000-8000-0000000420e2', '00000000-0000-7000-8000-0000000420c1');
    PERFORM creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000420e2', '00000000-0000-7000-8000-0000000420c1');
END
$$;
CREATE ROLE cp_420_app NOLOGIN;
SELECT creator_platform.grant_usage('cp_420_app');

-- what a viewer sees of each table, as names
CREATE TEMP TABLE seen (what text, query text) ON COMMIT DROP;
INSERT INTO seen VALUES
    ('posts', $$SELECT coalesce(string_agg(title, ',' ORDER BY title), '-') FROM creator_platform.posts$$),
    ('posts_archive', $$SELECT coalesce(string_agg(title, ',' ORDER BY title), '-') FROM creator_platform.posts_archive$$),
    ('comments', $$SELECT coalesce(string_agg(content, ',' ORDER BY content), '-') FROM creator_platform.comments$$),
    ('comments_archive', $$SELECT coalesce(string_agg(content, ',' ORDER BY content), '-') FROM creator_platform.comments_archive$$);
CREATE FUNCTION pg_temp.sees(role text, viewer text) RETURNS text LANGUAGE sql AS $f$
    SELECT string_agg(s.what || ': ' || pg_temp.as_viewer(role, viewer, s.query), '; ' ORDER BY s.what) FROM seen s
$f$;

--------------------------------------------------------------------------------
-- the objects, and row security off by default
--------------------------------------------------------------------------------
SELECT set_eq($$SELECT po.polrelid::regclass::text || '.' || po.polname FROM pg_catalog.pg_policy po
                 WHERE po.polrelid IN ('posts'::regclass, 'posts_archive'::regclass, 'comments'::regclass, 'comments_archive'::regclass)$$,
              ARRAY['posts.posts_viewer', 'posts.posts_maintenance', 'posts_archive.posts_archive_viewer',
                    'posts_archive.posts_archive_maintenance', 'comments.comments_viewer', 'comments.comments_maintenance',
                    'comments_archive.comments_archive_viewer', 'comments_archive.comments_archive_maintenance'],
              'the policies: a viewer and a maintenance one on each of the four tables');
SELECT is_empty($$SELECT po.polname FROM pg_catalog.pg_policy po
                   WHERE po.polname LIKE '%\_viewer' AND (po.polcmd <> '*' OR NOT po.polpermissive OR po.polroles <> '{0}'
                                                         OR po.polwithcheck IS NULL)$$,
                'the viewer policies are permissive, FOR ALL, TO PUBLIC, and check written rows too');
SELECT is_empty($$SELECT c.relname FROM pg_catalog.pg_class c
                   WHERE c.relnamespace = 'creator_platform'::regnamespace AND (c.relrowsecurity OR c.relforcerowsecurity)$$,
                'row-level security is off on every table until enable_row_security()');
SELECT is(pg_temp.sees('cp_420_app', NULL),
          'comments: on pub,on sub,on sub2,reply on sub; comments_archive: on apub,on asub; posts: draft,draft2,pub,sched,sub,sub2; posts_archive: apub,asub',
          'before enable_row_security() the app role sees every row, whatever the viewer');
SELECT is(creator_platform.viewer_id(), NULL, 'viewer_id() is NULL while the setting is unset');
SELECT is(current_setting('creator_platform.viewer_id'), '', 'the setting is defined by the module, empty by default');
SELECT throws_ok($$SELECT set_config('creator_platform.viewer_id', 'nobody', true)$$, '22023', NULL,
                 'a viewer that is not a uuid is refused when it is set (22023)');
SELECT throws_ok($$SET LOCAL creator_platform.viewer_id = '00000000-0000-7000-8000-0000000420c'$$, '22023', NULL,
                 '... also by SET LOCAL, and a uuid one digit short');
SELECT is(set_config('creator_platform.viewer_id', '{00000000-0000-7000-8000-0000000420C1}', true) IS NOT NULL
          AND creator_platform.viewer_id() = '00000000-0000-7000-8000-0000000420c1', true,
          'any spelling uuid accepts (braces, upper case) gives the viewer');
SELECT is(set_config('creator_platform.viewer_id', '', true) = '' AND creator_platform.viewer_id() IS NULL, true,
          'empty again: no viewer');

--------------------------------------------------------------------------------
-- enable_row_security
--------------------------------------------------------------------------------
SELECT is(pg_temp.as_viewer('cp_420_app', NULL, 'SELECT creator_platform.enable_row_security()::text'), 'ERROR 42501',
          'the app role cannot enable row security');
SELECT is_empty($$SELECT c.relname FROM pg_catalog.pg_class c
                   WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relrowsecurity$$, '... nothing changed');
-- (ALTER TABLE waits for no deferred trigger event of this transaction:
-- the comments' deferred foreign key checks run now, not at the end)
SET CONSTRAINTS ALL IMMEDIATE;
SELECT lives_ok('SELECT creator_platform.enable_row_security()', 'enable_row_security()');
SELECT lives_ok('SELECT creator_platform.enable_row_security()', 'enable_row_security() again (idempotent)');
SELECT set_eq($$SELECT c.relname::text FROM pg_catalog.pg_class c
                 WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relrowsecurity$$,
              ARRAY['posts', 'posts_archive', 'comments', 'comments_archive'],
              'row security is on for posts, posts_archive, comments and comments_archive, and nothing else');
SELECT is_empty($$SELECT c.relname FROM pg_catalog.pg_class c
                   WHERE c.relnamespace = 'creator_platform'::regnamespace AND c.relforcerowsecurity$$,
                'not FORCEd: the owner, and so the extension''s SECURITY DEFINER triggers, see every row');

--------------------------------------------------------------------------------
-- the matrix
--------------------------------------------------------------------------------
SELECT is(pg_temp.sees('cp_420_app', NULL),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub',
          'anonymous (no viewer): the public posts and their comments');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-000000000bad'),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub',
          'an unknown viewer: the same');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e3'),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub',
          'a stranger: the same (his own comment on pub, not more)');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e2'),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub',
          'a cancelled subscriber: the same');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e1'),
          'comments: on pub,on sub,reply on sub; comments_archive: on apub,on asub; posts: pub,sub; posts_archive: apub,asub',
          'an active subscriber of c1: c1''s subscribers posts, live and archived, and their comments; no draft');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420c2'),
          'comments: on pub,on sub2; comments_archive: on apub; posts: draft2,pub,sub2; posts_archive: apub',
          'another creator: his own posts, draft included, and the public ones');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420a1'),
          'comments: on pub,on sub,on sub2,reply on sub; comments_archive: on apub,on asub; posts: pub,sub,sub2; posts_archive: apub,asub',
          'an admin: every published post, no draft or scheduled post');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420c1'),
          'comments: on pub,on sub,reply on sub; comments_archive: on apub,on asub; posts: draft,pub,sched,sub; posts_archive: apub,asub',
          'the creator: all his posts, draft and scheduled included, and their comments; not c2''s');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e1') || ' / ' || pg_temp.sees('cp_420_app', NULL),
          'comments: on pub,on sub,reply on sub; comments_archive: on apub,on asub; posts: pub,sub; posts_archive: apub,asub / comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub',
          'one viewer after another in one transaction: each sees its own');
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT count(*)::text FROM creator_platform.posts WHERE id = '00000000-0000-7000-8000-000000420b03'$$),
          '0', 'a hidden row is not found by its id either');
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT count(*)::text FROM creator_platform.comments c JOIN creator_platform.posts p ON p.id = c.post_id$$),
          '1', 'nor through a join');
-- a subscription changes what is seen at once
SELECT lives_ok($$SELECT creator_platform.subscribe('00000000-0000-7000-8000-0000000420e3', '00000000-0000-7000-8000-0000000420c2')$$,
                'the stranger subscribes to c2');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e3'),
          'comments: on pub,on sub2; comments_archive: on apub; posts: pub,sub2; posts_archive: apub',
          '... and sees sub2 and its comment, not c2''s draft');
SELECT lives_ok($$SELECT creator_platform.cancel_subscription('00000000-0000-7000-8000-0000000420e3', '00000000-0000-7000-8000-0000000420c2')$$,
                '... cancels');
SELECT is(pg_temp.sees('cp_420_app', '00000000-0000-7000-8000-0000000420e3'),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub', '... and no longer sees them');
-- a user made admin sees every published post
UPDATE users SET role = 'admin' WHERE id = '00000000-0000-7000-8000-0000000420e3';
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT string_agg(title, ',' ORDER BY title) FROM creator_platform.posts$$),
          'pub,sub,sub2', 'a user made admin sees every published post at once');
UPDATE users SET role = 'reader' WHERE id = '00000000-0000-7000-8000-0000000420e3';

-- the owner is not subject to the policies
SELECT is(pg_temp.sees(current_user, NULL),
          'comments: on pub,on sub,on sub2,reply on sub; comments_archive: on apub,on asub; posts: draft,draft2,pub,sched,sub,sub2; posts_archive: apub,asub',
          'the owner sees every row, without a viewer');

-- the feeds show what the contract shows, policies or not
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT string_agg(concat_ws('|', title, locked, content IS NULL), ',')
                                FROM creator_platform.creator_posts('00000000-0000-7000-8000-0000000420c1', '00000000-0000-7000-8000-0000000420e3')$$),
          'pub|f|f,sub|t|t,apub|f|f,asub|t|t',
          'creator_posts for the stranger: the subscribers posts listed locked, as without row security');
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT string_agg(content, ',') FROM creator_platform.comment_thread('00000000-0000-7000-8000-000000420b02')$$),
          'on sub,reply on sub', 'comment_thread of a subscribers post: its comments, as without row security');
SELECT is(pg_temp.as_viewer('cp_420_app', '00000000-0000-7000-8000-0000000420e3',
                            $$SELECT concat_ws('|', title, locked) FROM creator_platform.post_view('00000000-0000-7000-8000-000000420b06')$$),
          'asub|t', 'post_view of an archived subscribers post: locked');

-- the viewer is read once per statement; the primary key is still an index scan
-- (names printed schema-qualified; without sequential scans, so that the
-- plan shows whether an index scan is possible at all on these few rows)
CREATE FUNCTION pg_temp.plan_as_app(query text) RETURNS text LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp SET enable_seqscan = off AS $f$
DECLARE
    line text;
    plan text := '';
BEGIN
    SET LOCAL ROLE cp_420_app;
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF, VERBOSE) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RESET ROLE;
    RETURN plan;
END
$f$;
SELECT matches(pg_temp.plan_as_app('SELECT title FROM creator_platform.posts'),
               'InitPlan [0-9]+ \(returns \$[0-9]+\)\n\s+->  Result\n\s+Output: creator_platform\.viewer_id\(\)',
               'posts: viewer_id() is an InitPlan, computed once per statement');
SELECT is((SELECT count(*) FROM regexp_matches(pg_temp.plan_as_app('SELECT title FROM creator_platform.posts'),
                                               'viewer_id\(\)', 'g')), 1::bigint,
          '... and nowhere else in the plan: not per row');
SELECT matches(pg_temp.plan_as_app('SELECT title FROM creator_platform.posts'),
               'InitPlan [0-9]+ \(returns \$[0-9]+\)\n\s+->  Result\n\s+Output: creator_platform\.viewer_is_admin\(\)',
               'whether the viewer is an admin: an InitPlan too');
SELECT matches(pg_temp.plan_as_app($$SELECT title FROM creator_platform.posts WHERE id = '00000000-0000-7000-8000-000000420b01'$$),
               'Index Scan using posts_pkey on creator_platform\.posts',
               'a lookup by id is still an index scan of posts_pkey');
SELECT matches(pg_temp.plan_as_app('SELECT title FROM creator_platform.posts'),
               'hashed SubPlan',
               'the active subscriptions are one hashed SubPlan, not a probe per row');

--------------------------------------------------------------------------------
-- disable_row_security
--------------------------------------------------------------------------------
SELECT is(pg_temp.as_viewer('cp_420_app', NULL, 'SELECT creator_platform.disable_row_security()::text'), 'ERROR 42501',
          'the app role cannot disable row security');
SELECT is(pg_temp.sees('cp_420_app', NULL),
          'comments: on pub; comments_archive: on apub; posts: pub; posts_archive: apub', '... it is still on');
SELECT lives_ok('SELECT creator_platform.disable_row_security()', 'disable_row_security()');
SELECT lives_ok('SELECT creator_platform.disable_row_security()', 'disable_row_security() again (idempotent)');
SELECT is(pg_temp.sees('cp_420_app', NULL),
          'comments: on pub,on sub,on sub2,reply on sub; comments_archive: on apub,on asub; posts: draft,draft2,pub,sched,sub,sub2; posts_archive: apub,asub',
          'after disable_row_security() the app role sees every row again');
SELECT is((SELECT count(*) FROM pg_catalog.pg_policy po
            WHERE po.polrelid IN ('posts'::regclass, 'posts_archive'::regclass, 'comments'::regclass, 'comments_archive'::regclass)),
          8::bigint, '... and the policies stay, unused');

SELECT * FROM finish();
ROLLBACK;
