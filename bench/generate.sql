-- bench/generate.sql: a realistic, repeatable data set for creator_platform.
--
--   psql -X -v ON_ERROR_STOP=1 -v scale=N -f bench/generate.sql
--
-- Run it in a database where `CREATE EXTENSION creator_platform` was just done
-- (empty tables), in autocommit mode (not with -1: it ends with VACUUM). scale
-- defaults to 1 and may be fractional (0.1 for a quick test). Per unit of scale:
--
--   users          10,000   2,000 creators, 10 admins, the rest readers
--   posts          20,000   85% published over the last 3 years, 10% drafts,
--                           5% scheduled within the next 30 days; ~30% subscribers-only
--   comments       60,000   on published posts only: 50% top level, then replies
--                           level by level (30% depth 1, 15% depth 2, 5% depth 3-5)
--   subscriptions  10,000   ~10% cancelled, a few of those re-subscribed
--
-- plus three fixed users the examples refer to: demo_reader (follows ~25
-- creators, from the most to the least followed), demo_creator (40 posts, some
-- subscribers-only, drafts, scheduled ones and one post with a deep comment
-- thread) and demo_admin.
--
-- Skew: a post's creator has rank r with P(r) ~ 1/(r + 30) (a few creators write
-- a lot, most write little); a comment's post has rank r with P(r) ~ 1/(r + 10)
-- (popular creators' posts ranked first: most posts get no comment, a few get
-- thousands at scale 50); replies favour some parents; subscriptions favour popular
-- creators (P ~ 1/(r + 5), rank loosely following output) and some very active
-- followers (most users follow none or a few creators, a few follow hundreds).
--
-- Every rule of the API's Rules table holds for the rows as they are inserted,
-- so the script keeps working when triggers enforce them: it is purely set-based
-- (one INSERT ... SELECT per stage and thread level), ids come from the column
-- defaults, and the counters (posts.comment_count, comments.reply_count) are
-- made exact at the end by UPDATEs that touch only rows whose value is off.
-- setseed() and one fixed "now" make a run repeatable: the same scale gives the
-- same data, apart from the ids and a shift of every timestamp to the time of the run.

\set QUIET on
\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 1
\endif

SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET synchronous_commit = off;
SET statement_timeout = 0;
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET temp_buffers = '512MB';
SET jit = off;
-- parallel workers would draw their own random() values: keep the run repeatable
SET max_parallel_workers_per_gather = 0;

CREATE FUNCTION pg_temp.check(ok boolean, msg text) RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION '%', msg USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN true;
END
$fn$;

SELECT :'scale'::numeric AS scale_num \gset
SELECT pg_temp.check(:scale_num > 0,
                     format('generate.sql: scale must be a number > 0, not %s', :'scale')) AS ok \gset
SELECT pg_temp.check(NOT EXISTS (SELECT 1 FROM creator_platform.users)
                     AND NOT EXISTS (SELECT 1 FROM creator_platform.posts)
                     AND NOT EXISTS (SELECT 1 FROM creator_platform.subscriptions),
                     'generate.sql: the creator_platform tables are not empty; run it in a fresh database') AS ok \gset

SELECT greatest(round(10000 * :scale_num), 20)::int  AS n_users,
       greatest(round(2000 * :scale_num), 5)::int    AS n_creators,
       greatest(round(10 * :scale_num), 1)::int      AS n_admins,
       greatest(round(20000 * :scale_num), 10)::int  AS n_posts,
       greatest(round(30000 * :scale_num), 10)::int  AS n_c0,
       round(18000 * :scale_num)::int                AS n_c1,
       round(9000 * :scale_num)::int                 AS n_c2,
       round(1500 * :scale_num)::int                 AS n_c3,
       round(900 * :scale_num)::int                  AS n_c4,
       round(600 * :scale_num)::int                  AS n_c5,
       greatest(round(10000 * :scale_num), 10)::int  AS n_subs,
       30 AS post_q,           -- Zipf offset of creator output: P(rank) ~ 1 / (rank + post_q)
       3.0 AS sub_noise,       -- how loosely popularity follows output (log-rank noise)
       -- one instant for the whole run, so that a run is repeatable
       format('%L::timestamptz', now()) AS t_now,
       clock_timestamp() AS t_start,
       clock_timestamp() AS t_stage,
       setseed(0.42) AS seeded
\gset
\echo 'generate: scale' :scale_num '-' :n_users 'users,' :n_posts 'posts,' :n_subs 'subscriptions'

--------------------------------------------------------------------------------
-- Text pools: titles are composed per row; bodies are drawn from pools of 4096
--------------------------------------------------------------------------------
CREATE TEMP TABLE gen_sentences (kind text NOT NULL, s text[] NOT NULL);
INSERT INTO gen_sentences (kind, s) VALUES
('post', ARRAY[
  'I started this project on a rainy Sunday with nothing but a notebook and a vague plan.',
  'The first version was embarrassingly simple, and that turned out to be its best feature.',
  'Most of the work happened in the margins: early mornings, train rides, lunch breaks.',
  'Here is what went wrong, what went right, and what I would do differently next time.',
  'If you have been following along, you know the last few weeks were a bit chaotic.',
  'A reader asked me last month how I keep going when nothing seems to work.',
  'The honest answer is that I do not always keep going; sometimes I stop for a while.',
  'This week I tried something new, and the results surprised me.',
  'There is a version of this story that sounds heroic, but the real one is mostly patience.',
  'Below are the numbers, the tools, and the mistakes, in roughly that order.',
  'I owe a big thank you to everyone who sent notes, corrections and kind words.',
  'We spent two days testing three different approaches before settling on the obvious one.',
  'The best advice I got was to write down every decision and the reason behind it.',
  'Nothing here is new, but putting it all in one place helped me see the pattern.',
  'Subscribers will find the full checklist and the raw files at the end of this post.',
  'Next time I will cover the parts I skipped, including the budget and the schedule.',
  'It took longer than planned, cost a little more than expected, and was worth it.',
  'Small, boring improvements compound faster than any grand redesign.',
  'The community thread last week had more good ideas than I could fit in one post.',
  'I am still not sure this is the right approach, so tell me where you disagree.',
  'The café around the corner has become my unofficial office, and the staff know my order.',
  'Every season brings its own rhythm, and I have learned to plan around it.',
  'Writing this down forced me to admit how much I had been guessing.',
  'The tools matter less than the habit of showing up and doing the work.',
  'We measured everything twice and still got one number wrong, which I explain below.',
  'A short update today, with a longer one coming next week.',
  'Thanks for reading, and see you in the comments.',
  'This is part of an ongoing series; the earlier parts are linked on my profile.',
  'Some of you asked for photos, so there are more of them than usual this time.',
  'In the end the simplest explanation was the right one, as it usually is.',
  'The plan for the next month is deliberately modest.',
  'I kept a log of every hour spent, and the totals are at the bottom.'
]),
('comment', ARRAY[
  'Great post, thanks for sharing!',
  'This is exactly what I needed today.',
  'I tried this last year and had a very different experience.',
  'Could you say more about the second step?',
  'Saving this for later.',
  'Interesting, but I am not convinced the numbers add up.',
  'Same here, it took me months to figure that out.',
  'Love the photos in this one.',
  'Do you have a link to the tool you mentioned?',
  'Respectfully, I think you are missing an important detail.',
  'This made my morning, thank you.',
  'How long did the whole thing take, start to finish?',
  'Agreed with everything except the last paragraph.',
  'Following for the next part!',
  'My experience was similar, although the costs were higher where I live.',
  'Does this work on a smaller budget?',
  'The checklist at the end is gold.',
  'I shared this with my team and we are trying it next week.',
  'Any update on the project you mentioned last month?',
  'Thanks, fixed my problem in five minutes.',
  'Not sure I follow the argument in the middle section.',
  'Seconding the question above.',
  'Ha, I made the exact same mistake.',
  'Long-time reader, first comment: keep it up.',
  'Can confirm, this works.',
  'What would you do differently with more time?',
  'Beautifully written.',
  'The comments here are as good as the post.',
  'Counterpoint: the simple version is usually enough.',
  'Merci, très utile !',
  'I disagree, but I appreciate the detail.',
  'Bookmarked.'
]);

CREATE TEMP TABLE gen_post_text AS
SELECT i, string_agg(x.s, x.sep ORDER BY x.j) AS body
  FROM generate_series(1, 4096) AS i
 CROSS JOIN (SELECT gs.s AS pool FROM gen_sentences gs WHERE gs.kind = 'post') AS ss
 CROSS JOIN LATERAL (
        SELECT j, ss.pool[1 + floor(random() * cardinality(ss.pool))::int] AS s,
               CASE WHEN random() < 0.25 THEN E'\n\n' ELSE ' ' END AS sep
          FROM generate_series(1, 1 + floor(power(random(), 3) * 16)::int + 0 * i) AS j) AS x
 GROUP BY i;

CREATE TEMP TABLE gen_comment_text AS
SELECT i,
       CASE WHEN i % 1024 = 0   -- a few long comments (a few thousand characters)
            THEN left(repeat(string_agg(x.s, ' ' ORDER BY x.j) || E'\n\n', 40), 20000)
            ELSE string_agg(x.s, ' ' ORDER BY x.j)
       END AS body
  FROM generate_series(1, 4096) AS i
 CROSS JOIN (SELECT gs.s AS pool FROM gen_sentences gs WHERE gs.kind = 'comment') AS ss
 CROSS JOIN LATERAL (
        SELECT j, ss.pool[1 + floor(random() * cardinality(ss.pool))::int] AS s
          FROM generate_series(1, 1 + floor(power(random(), 2) * 4)::int + 0 * i) AS j) AS x
 GROUP BY i;
ALTER TABLE gen_post_text ADD PRIMARY KEY (i);
ALTER TABLE gen_comment_text ADD PRIMARY KEY (i);
ANALYZE gen_post_text;
ANALYZE gen_comment_text;

--------------------------------------------------------------------------------
-- users
--------------------------------------------------------------------------------
INSERT INTO creator_platform.users (email, password_hash, username, bio, role, created_at, updated_at)
VALUES
  ('demo_admin@example.com', '$2b$12$demo.admin.fake.hash.not.a.real.one.xxxxxxxxxxxxxxxxxx', 'demo_admin',
   'Keeps the lights on.', 'admin', :t_now - interval '1200 days', :t_now - interval '1200 days'),
  ('demo_creator@example.com', '$2b$12$demo.creator.fake.hash.not.a.real.one.xxxxxxxxxxxxxxxx', 'demo_creator',
   'Writing about slow travel, bread and small software. New post most weeks.', 'creator',
   :t_now - interval '1100 days', :t_now - interval '1100 days'),
  ('demo_reader@example.com', '$2b$12$demo.reader.fake.hash.not.a.real.one.xxxxxxxxxxxxxxxxx', 'demo_reader',
   'Here for the comments.', 'reader', :t_now - interval '1000 days', :t_now - interval '1000 days');

-- (the window function sits one level up: PostgreSQL would otherwise reuse its
-- random() sort key for every other random() of the same select list)
WITH draw AS MATERIALIZED (
    SELECT g,
           random() AS u_role,
           random() AS u_style,
           random() AS u_created,
           random() AS u_bio,
           (ARRAY['quiet','brave','sunny','lazy','clever','wild','gentle','rapid','silent','happy',
                  'cosmic','urban','rustic','golden','misty','lucky','bold','calm','swift','cozy',
                  'little','grand','noble','witty'])[1 + floor(random() * 24)::int] AS adj,
           (ARRAY['river','falcon','otter','maple','comet','harbor','pixel','meadow','tiger','willow',
                  'lantern','canyon','badger','cedar','ember','fjord','heron','island','juniper','koala',
                  'orchid','pebble','raven','sparrow'])[1 + floor(random() * 24)::int] AS noun,
           (ARRAY['anna','ben','chloe','david','elena','farah','george','hana','ivan','julia',
                  'kofi','lena','mateo','nina','omar','priya','quinn','rosa','sam','tomoko',
                  'uma','victor','wei','yusuf'])[1 + floor(random() * 24)::int] AS first_name,
           chr(97 + floor(random() * 26)::int) AS initial,
           (ARRAY['example.com','example.org','example.net','mail.example','inbox.test',
                  'post.example'])[1 + floor(random() * 6)::int] AS domain,
           (ARRAY['Coffee, code and long walks.','Photographer. Occasional writer.',
                  'I make things out of wood and words.','Reading everything about climate and cities.',
                  'Home cook, bad gardener.','Weekly essays on design.','Just here to learn.',
                  'Musician and teacher.','Trail runner, map nerd.','Building small tools for small teams.',
                  'Ceramics, mostly mugs.','Economics explained without the jargon.'])
               [1 + floor(random() * 12)::int] AS bio
      FROM generate_series(1, :n_users) AS g
), pick AS (
    SELECT d.g, row_number() OVER (ORDER BY d.u_role) AS role_k, d.u_style, d.u_created, d.u_bio,
           d.adj, d.noun, d.first_name, d.initial, d.domain, d.bio
      FROM draw d
)
INSERT INTO creator_platform.users (email, password_hash, username, bio, role, created_at, updated_at)
SELECT lower(replace(u.username, '_', '.')) || '@' || u.domain,
       u.password_hash, u.username, u.bio, u.role, u.created_at, u.created_at
  FROM (SELECT CASE WHEN pk.u_style < 0.45 THEN pk.adj || '_' || pk.noun || pk.g
                    WHEN pk.u_style < 0.70 THEN initcap(pk.adj) || initcap(pk.noun) || pk.g
                    ELSE pk.first_name || '_' || pk.initial || pk.g
               END AS username,   -- the trailing number makes it unique, also ignoring case
               pk.domain,
               substr('$2b$12$' || md5('salt' || pk.g) || md5('hash' || pk.g), 1, 60) AS password_hash,
               CASE WHEN pk.u_bio < 0.6 THEN pk.bio END AS bio,
               CASE WHEN pk.role_k <= :n_admins THEN 'admin'
                    WHEN pk.role_k <= :n_admins + :n_creators THEN 'creator'
                    ELSE 'reader'
               END::creator_platform.user_role AS role,
               -- a growing platform: more recent sign-ups, none in the last day
               :t_now - interval '1 day' - interval '1459 days' * (1 - sqrt(pk.u_created)) AS created_at
          FROM pick pk) AS u
 ORDER BY u.created_at, u.username;

SELECT format('generate: %-24s %12s rows %8s s', 'users', to_char(:ROW_COUNT + 3, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- every generated user in random order (k = 1..n_users), and the creators
-- ranked by output (rank) and, correlated with it, by popularity (sub_rank)
CREATE TEMP TABLE gen_users AS
SELECT row_number() OVER (ORDER BY random())::int AS k, u.id, u.created_at
  FROM creator_platform.users u
 WHERE u.username NOT IN ('demo_admin', 'demo_creator', 'demo_reader');
ALTER TABLE gen_users ADD PRIMARY KEY (k);
ANALYZE gen_users;

CREATE TEMP TABLE gen_creators AS
WITH draw AS MATERIALIZED (
    SELECT u.id, u.created_at, random() AS u_rank, random() AS u_paywall, random() AS u_noise
      FROM creator_platform.users u
     WHERE u.role = 'creator' AND u.username NOT IN ('demo_admin', 'demo_creator', 'demo_reader')
), ranked AS (
    SELECT row_number() OVER (ORDER BY d.u_rank)::int AS rank, d.id, d.created_at, d.u_paywall, d.u_noise
      FROM draw d
)
SELECT r.rank, r.id, r.created_at,
       0.6 * r.u_paywall AS paywall,    -- the creator's share of subscribers-only posts
       row_number() OVER (ORDER BY ln(r.rank) + :sub_noise * r.u_noise)::int AS sub_rank
  FROM ranked r;
ALTER TABLE gen_creators ADD PRIMARY KEY (rank);
CREATE UNIQUE INDEX ON gen_creators (sub_rank);
ANALYZE gen_creators;

--------------------------------------------------------------------------------
-- posts
--------------------------------------------------------------------------------
WITH pick AS MATERIALIZED (
    SELECT g,
           -- Zipf-like: log-uniform over [q, n + q), P(rank) ~ 1 / (rank + q)
           (floor(:post_q * power((:n_creators + :post_q)::float8 / :post_q, random())) - :post_q + 1)::int AS rank,
           1 + floor(random() * 4096)::int AS text_i,
           random() AS u_status, random() AS u_vis, random() AS u_t1, random() AS u_t2,
           (ARRAY['How I think about','Why we need','Notes on','A beginner''s guide to','The case for',
                  'Thoughts on','Lessons from','Inside','Rethinking','Building','Field notes:','Q&A:',
                  'Weekly roundup:','Behind the scenes:','Ten things about','What I learned from',
                  'In defense of','A deep dive into','Finding','Living with'])[1 + floor(random() * 20)::int]
           || ' ' ||
           (ARRAY['quiet','slow','better','small','modern','forgotten','everyday','remote','honest',
                  'simple','analog','local','seasonal','open','late-night','sustainable','practical',
                  'unexpected','café','weekend'])[1 + floor(random() * 20)::int]
           || ' ' ||
           (ARRAY['mornings','gardens','habits','recipes','cities','budgets','workflows','sketches',
                  'playlists','cameras','bicycles','bread','notebooks','rivers','startups','podcasts',
                  'interfaces','databases','trails','letters'])[1 + floor(random() * 20)::int]
           || CASE WHEN random() < 0.2 THEN ' (part ' || (2 + floor(random() * 9)::int) || ')' ELSE '' END
           AS title
      FROM generate_series(1, :n_posts) AS g
)
INSERT INTO creator_platform.posts (creator_id, title, content, status, visibility,
                                    published_at, created_at, updated_at)
SELECT p.creator_id, p.title, p.content, p.status, p.visibility, p.published_at, p.created_at,
       CASE WHEN p.status = 'published' THEN p.published_at ELSE p.created_at END
  FROM (SELECT pk.g, c.id AS creator_id, pk.title, t.body AS content, s.status,
               CASE WHEN pk.u_vis < c.paywall THEN 'subscribers' ELSE 'public' END
                   ::creator_platform.post_visibility AS visibility,
               CASE s.status
                    WHEN 'published' THEN s.pub
                    WHEN 'scheduled' THEN :t_now + interval '1 hour' + interval '29 days' * pk.u_t1
               END AS published_at,
               CASE s.status
                    WHEN 'published' THEN greatest(c.created_at, s.pub - interval '3 days' * pk.u_t2)
                    ELSE s.lo + (:t_now - interval '1 minute' - s.lo) * pk.u_t2
               END AS created_at
          FROM pick pk
          JOIN gen_creators c ON c.rank = pk.rank
          JOIN gen_post_text t ON t.i = pk.text_i
         CROSS JOIN LATERAL (
               SELECT CASE WHEN pk.u_status < 0.85 THEN 'published'
                           WHEN pk.u_status < 0.95 THEN 'draft'
                           ELSE 'scheduled'
                      END::creator_platform.post_status AS status,
                      l.lo,
                      l.lo + (:t_now - interval '1 minute' - l.lo) * pk.u_t1 AS pub
                 FROM (SELECT greatest(c.created_at, :t_now - interval '1095 days') AS lo) AS l) AS s
       ) AS p
 ORDER BY p.created_at, p.g;

SELECT format('generate: %-24s %12s rows %8s s', 'posts', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- demo_creator: 40 posts (34 published, every 4th for subscribers only, 3 drafts,
-- 3 scheduled); demo_admin: 2 announcements
INSERT INTO creator_platform.posts (creator_id, title, content, status, visibility,
                                    published_at, created_at, updated_at)
SELECT u.id, d.title, t.body, d.status, d.visibility, d.published_at, d.created_at,
       CASE WHEN d.status = 'published' THEN d.published_at ELSE d.created_at END
  FROM creator_platform.users u
  JOIN (SELECT i,
               'demo_creator' AS author,
               format('%s #%s: %s', CASE WHEN i % 4 = 0 THEN 'Members'' notes' ELSE 'Field notes' END, 41 - i,
                      (ARRAY['bread at altitude','the night train north','a tiny database for recipes',
                             'what the river taught me','slow mornings','packing light',
                             'an honest budget','the map room'])[1 + i % 8]) AS title,
               CASE WHEN i <= 34 THEN 'published' WHEN i <= 37 THEN 'draft' ELSE 'scheduled' END
                   ::creator_platform.post_status AS status,
               CASE WHEN i % 4 = 0 THEN 'subscribers' ELSE 'public' END
                   ::creator_platform.post_visibility AS visibility,
               CASE WHEN i <= 34 THEN :t_now - interval '1 day' * (1 + 0.8 * i * i)
                    WHEN i >= 38 THEN :t_now + interval '1 day' * (i - 37) END AS published_at,
               CASE WHEN i <= 34 THEN :t_now - interval '1 day' * (2 + 0.8 * i * i)
                    ELSE :t_now - interval '1 day' * (i - 30) END AS created_at
          FROM generate_series(1, 40) AS i
        UNION ALL
        SELECT i, 'demo_admin',
               CASE i WHEN 1 THEN 'Platform update: threaded comments are here'
                      ELSE 'Community guidelines, revised' END,
               'published', 'public',
               :t_now - interval '1 day' * (20 * i), :t_now - interval '1 day' * (20 * i + 1)
          FROM generate_series(1, 2) AS i) AS d ON d.author = u.username
  JOIN gen_post_text t ON t.i = 1 + d.i * 97 % 4096
 ORDER BY d.created_at;

SELECT format('generate: %-24s %12s rows %8s s', 'demo posts', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

--------------------------------------------------------------------------------
-- comments, level by level
--------------------------------------------------------------------------------
-- published posts of the generated creators, ranked for comment popularity:
-- popular creators' posts first, with plenty of noise
CREATE TEMP TABLE gen_pub AS
SELECT row_number() OVER (ORDER BY ln(x.creator_rank) + 3.0 * random())::int AS rank, x.id, x.published_at
  FROM (SELECT c.rank AS creator_rank, p.id, p.published_at
          FROM creator_platform.posts p
          JOIN gen_creators c ON c.id = p.creator_id
         WHERE p.status = 'published'
         ORDER BY p.id) AS x;   -- a fixed order for random()
ALTER TABLE gen_pub ADD PRIMARY KEY (rank);
ANALYZE gen_pub;
SELECT count(*) AS n_pub FROM gen_pub \gset

-- the comments of each level in random order (k), the parents of the next level
CREATE TEMP TABLE gen_level (
    depth      int NOT NULL,
    k          int NOT NULL,
    id         uuid NOT NULL,
    post_id    uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (depth, k)
);

WITH pick AS MATERIALIZED (
    SELECT g,
           (floor(10 * power((:n_pub + 10) / 10.0, random())) - 9)::int AS rank,
           1 + floor(:n_users * power(random(), 1.3))::int AS user_k,
           1 + floor(random() * 4096)::int AS text_i,
           random() AS u1, random() AS u2
      FROM generate_series(1, :n_c0) AS g
), ins AS (
    INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at, depth)
    SELECT c.post_id, c.user_id, NULL, c.content, c.created_at, 0
      FROM (SELECT pk.g, p.id AS post_id, u.id AS user_id, t.body AS content,
                   -- after publication (mostly within days), never in the future,
                   -- never before the commenter signed up
                   greatest(p.published_at + interval '1 second'
                              + least(-ln(1 - pk.u1) * interval '2 days',
                                      (:t_now - p.published_at - interval '1 second') * pk.u2),
                            u.created_at) AS created_at
              FROM pick pk
              JOIN gen_pub p ON p.rank = pk.rank
              JOIN gen_users u ON u.k = pk.user_k
              JOIN gen_comment_text t ON t.i = pk.text_i) AS c
     ORDER BY c.created_at, c.g
    RETURNING id, post_id, created_at
)
INSERT INTO gen_level (depth, k, id, post_id, created_at)
SELECT 0, row_number() OVER (ORDER BY random()), ins.id, ins.post_id, ins.created_at
  FROM ins;

SELECT format('generate: %-24s %12s rows %8s s', 'comments depth 0', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- replies at p_depth to comments at p_depth - 1 (same post); some parents get
-- many replies, most get none. One INSERT ... SELECT per call.
CREATE FUNCTION pg_temp.gen_replies(p_depth int, p_count int, p_users int, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
    n_parents bigint;
    n_rows    bigint;
BEGIN
    SELECT count(*) INTO n_parents FROM gen_level WHERE depth = p_depth - 1;
    IF n_parents = 0 OR p_count <= 0 THEN
        RETURN 0;
    END IF;
    WITH pick AS MATERIALIZED (
        SELECT g,
               1 + floor(n_parents * power(random(), 1.5))::int AS parent_k,
               1 + floor(p_users * power(random(), 1.3))::int AS user_k,
               1 + floor(random() * 4096)::int AS text_i,
               random() AS u1, random() AS u2
          FROM generate_series(1, p_count) AS g
    ), ins AS (
        INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at, depth)
        SELECT c.post_id, c.user_id, c.parent_comment_id, c.content, c.created_at, p_depth
          FROM (SELECT pk.g, par.post_id, u.id AS user_id, par.id AS parent_comment_id, t.body AS content,
                       greatest(par.created_at
                                  + least(-ln(1 - pk.u1) * interval '6 hours',
                                          (p_now - par.created_at) * pk.u2),
                                u.created_at) AS created_at
                  FROM pick pk
                  JOIN gen_level par ON par.depth = p_depth - 1 AND par.k = pk.parent_k
                  JOIN gen_users u ON u.k = pk.user_k
                  JOIN gen_comment_text t ON t.i = pk.text_i) AS c
         ORDER BY c.created_at, c.g
        RETURNING creator_platform.comments.id, creator_platform.comments.post_id,
                  creator_platform.comments.created_at
    )
    INSERT INTO gen_level (depth, k, id, post_id, created_at)
    SELECT p_depth, row_number() OVER (ORDER BY random()), ins.id, ins.post_id, ins.created_at
      FROM ins;
    GET DIAGNOSTICS n_rows = ROW_COUNT;
    RETURN n_rows;
END
$fn$;

SELECT pg_temp.gen_replies(1, :n_c1, :n_users, :t_now) AS n_rows \gset
SELECT format('generate: %-24s %12s rows %8s s', 'comments depth 1', to_char(:n_rows, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg
SELECT pg_temp.gen_replies(2, :n_c2, :n_users, :t_now) AS n_rows \gset
SELECT format('generate: %-24s %12s rows %8s s', 'comments depth 2', to_char(:n_rows, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg
SELECT pg_temp.gen_replies(3, :n_c3, :n_users, :t_now) AS n_rows3 \gset
SELECT pg_temp.gen_replies(4, :n_c4, :n_users, :t_now) AS n_rows4 \gset
SELECT pg_temp.gen_replies(5, :n_c5, :n_users, :t_now) + :n_rows3 + :n_rows4 AS n_rows \gset
SELECT format('generate: %-24s %12s rows %8s s', 'comments depth 3-5', to_char(:n_rows, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- demo_creator's thread: on "Field notes #38" (published ~8 days ago) a thread
-- 9 levels deep (58 comments), where early comments draw most replies; demo_reader
-- opens it and demo_creator joins in. One INSERT ... SELECT per level.
CREATE TEMP TABLE gen_demo AS
SELECT p.id AS post_id, p.published_at,
       (SELECT u.id FROM creator_platform.users u WHERE u.username = 'demo_creator') AS creator_id,
       (SELECT u.id FROM creator_platform.users u WHERE u.username = 'demo_reader') AS reader_id
  FROM creator_platform.posts p
 WHERE p.creator_id = (SELECT u.id FROM creator_platform.users u WHERE u.username = 'demo_creator')
   AND p.title LIKE 'Field notes #38:%';

-- commenters for the demo posts: users who signed up before demo_creator's first post
CREATE TEMP TABLE gen_demo_users AS
SELECT row_number() OVER (ORDER BY u.k)::int AS n, u.id
  FROM gen_users u
 WHERE u.created_at < :t_now - interval '1000 days';
SELECT count(*) AS n_demo_users FROM gen_demo_users \gset
SELECT pg_temp.check(:n_demo_users >= 10,
                     'generate.sql: too few users for the demo threads; use a larger scale') AS ok \gset

INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at, depth)
SELECT d.post_id,
       CASE WHEN g.i = 1 THEN d.reader_id ELSE u.id END,
       NULL, t.body, d.published_at + interval '35 minutes' * g.i, 0
  FROM gen_demo d
 CROSS JOIN generate_series(1, 12) AS g(i)
  JOIN gen_demo_users u ON u.n = 1 + (g.i * 7919) % :n_demo_users
  JOIN gen_comment_text t ON t.i = 1 + (g.i * 31) % 4096
 ORDER BY g.i;

DO $demo$
DECLARE
    sizes int[] := ARRAY[14, 10, 7, 5, 4, 3, 2, 1];   -- replies at depth 1..8
    d int;
BEGIN
    FOR d IN 1 .. pg_catalog.array_length(sizes, 1) LOOP
        INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at, depth)
        SELECT par.post_id,
               CASE WHEN (d + r.i) % 3 = 2 THEN dm.creator_id ELSE u.id END,
               par.id, t.body, par.created_at + interval '1 minute' * (3 + 7 * r.i), d
          FROM gen_demo dm
         CROSS JOIN LATERAL (
               SELECT gs.i, 1 + floor(lvl.cnt * power((gs.i - 1)::float8 / sizes[d], 2))::int AS parent_n
                 FROM generate_series(1, sizes[d]) AS gs(i),
                      (SELECT count(*) AS cnt FROM creator_platform.comments c
                        WHERE c.post_id = dm.post_id AND c.depth = d - 1) AS lvl) AS r
          JOIN (SELECT c.id, c.post_id, c.created_at,
                       row_number() OVER (ORDER BY c.created_at, c.id) AS n
                  FROM creator_platform.comments c
                 WHERE c.post_id = (SELECT g.post_id FROM gen_demo g) AND c.depth = d - 1) AS par
            ON par.n = r.parent_n
          JOIN gen_demo_users u ON u.n = 1 + (d * 104729 + r.i * 7919) % (SELECT count(*) FROM gen_demo_users)
          JOIN gen_comment_text t ON t.i = 1 + (d * 257 + r.i * 31) % 4096
         ORDER BY r.i;
    END LOOP;
END
$demo$;

-- a few comments on demo_creator's other published posts
INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content, created_at, depth)
SELECT p.id, u.id, NULL, t.body, p.published_at + interval '2 hours' * g.j, 0
  FROM creator_platform.posts p
  JOIN creator_platform.users cu ON cu.id = p.creator_id AND cu.username = 'demo_creator'
 CROSS JOIN generate_series(1, 3) AS g(j)
  JOIN gen_demo_users u ON u.n = 1 + (g.j * 6151 + abs(hashtext(p.title)::bigint)) % :n_demo_users
  JOIN gen_comment_text t ON t.i = 1 + (g.j * 17 + abs(hashtext(p.title)::bigint)) % 4096
 WHERE p.status = 'published' AND p.title NOT LIKE 'Field notes #38:%'
   AND g.j <= abs(hashtext(p.title)::bigint) % 4
 ORDER BY p.published_at, g.j;

SELECT format('generate: %-24s %12s rows %8s s', 'demo comments',
              to_char((SELECT count(*) FROM creator_platform.comments c JOIN gen_demo d ON true
                        JOIN creator_platform.posts p ON p.id = c.post_id AND p.creator_id = d.creator_id),
                      'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- ~1% of the comments that have replies were deleted and stay as placeholders
-- (as delete_comment leaves them); one of them early in the demo thread
WITH victims AS MATERIALIZED (
    SELECT r.parent_comment_id AS id
      FROM (SELECT DISTINCT c.parent_comment_id
              FROM creator_platform.comments c
             WHERE c.parent_comment_id IS NOT NULL
             ORDER BY c.parent_comment_id) AS r    -- a fixed order for random()
     WHERE random() < 0.01
    UNION
    SELECT c.id
      FROM creator_platform.comments c
      JOIN gen_demo d ON d.post_id = c.post_id
     WHERE c.depth = 2
       AND c.created_at = (SELECT min(c2.created_at) FROM creator_platform.comments c2
                            WHERE c2.post_id = d.post_id AND c2.depth = 2)
       AND EXISTS (SELECT 1 FROM creator_platform.comments r WHERE r.parent_comment_id = c.id)
)
UPDATE creator_platform.comments c
   SET deleted_at = least(:t_now, c.created_at + interval '1 hour' + (:t_now - c.created_at) * random()),
       content = ''
  FROM victims v
 WHERE c.id = v.id AND c.deleted_at IS NULL;

SELECT format('generate: %-24s %12s rows %8s s', 'deleted placeholders', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

--------------------------------------------------------------------------------
-- subscriptions
--------------------------------------------------------------------------------
WITH pick AS MATERIALIZED (
    SELECT g,
           -- most users follow none or a few creators, a few follow hundreds
           1 + floor(:n_users * power(random(), 2))::int AS subscriber_k,
           -- popular creators: P(sub_rank) ~ 1 / (sub_rank + 5)
           (floor(5 * power((:n_creators + 5) / 5.0, random())) - 4)::int AS sub_rank,
           random() AS u_status, random() AS u_resub, random() AS u_t1, random() AS u_t2, random() AS u_t3
      FROM generate_series(1, ceil(:n_subs * 1.25)::int) AS g
), pairs AS MATERIALIZED (
    SELECT DISTINCT ON (s.id, c.id)
           pk.g, s.id AS subscriber_id, c.id AS creator_id,
           greatest(s.created_at, c.created_at) AS lo,
           pk.u_status, pk.u_resub, pk.u_t1, pk.u_t2, pk.u_t3
      FROM pick pk
      JOIN gen_users s ON s.k = pk.subscriber_k
      JOIN gen_creators c ON c.sub_rank = pk.sub_rank
     WHERE s.id <> c.id
     ORDER BY s.id, c.id, pk.g
), chosen AS MATERIALIZED (
    SELECT pr.subscriber_id, pr.creator_id, pr.u_status, pr.u_resub, pr.u_t2, pr.u_t3,
           pr.lo + (:t_now - interval '1 hour' - pr.lo) * pr.u_t1 AS t1
      FROM pairs pr
     ORDER BY pr.g
     LIMIT :n_subs
)
INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at)
SELECT r.subscriber_id, r.creator_id, r.status, r.subscribed_at, r.cancelled_at
  FROM (SELECT ch.subscriber_id, ch.creator_id, 'active'::creator_platform.subscription_status AS status,
               ch.t1 AS subscribed_at, NULL::timestamptz AS cancelled_at
          FROM chosen ch
         WHERE ch.u_status >= 0.1
        UNION ALL
        SELECT ch.subscriber_id, ch.creator_id, 'cancelled', ch.t1, x.cancelled_at
          FROM chosen ch
         CROSS JOIN LATERAL (SELECT ch.t1 + interval '1 second'
                                    + (:t_now - ch.t1 - interval '1 second') * ch.u_t2 AS cancelled_at) AS x
         WHERE ch.u_status < 0.1
        UNION ALL   -- a quarter of the cancelled ones came back later
        SELECT ch.subscriber_id, ch.creator_id, 'active', x.cancelled_at + (:t_now - x.cancelled_at) * ch.u_t3, NULL
          FROM chosen ch
         CROSS JOIN LATERAL (SELECT ch.t1 + interval '1 second'
                                    + (:t_now - ch.t1 - interval '1 second') * ch.u_t2 AS cancelled_at) AS x
         WHERE ch.u_status < 0.1 AND ch.u_resub < 0.25) AS r
 ORDER BY r.subscribed_at, r.subscriber_id, r.creator_id, r.status;

SELECT format('generate: %-24s %12s rows %8s s', 'subscriptions', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

-- demo_reader follows demo_creator and 24 creators from the most to the least
-- followed (and once cancelled another one); demo_creator has ~200 subscribers
-- (a tenth of them cancelled) including demo_admin
WITH follow AS MATERIALIZED (
    SELECT DISTINCT ON (x.sub_rank) x.j, x.sub_rank
      FROM (SELECT j, least(:n_creators, j + floor(power(:n_creators, j / 24.0))::int) AS sub_rank
              FROM generate_series(0, 24) AS j) AS x
     ORDER BY x.sub_rank, x.j
)
INSERT INTO creator_platform.subscriptions (subscriber_id, creator_id, status, subscribed_at, cancelled_at)
SELECT s.subscriber_id, s.creator_id, s.status, s.subscribed_at, s.cancelled_at
  FROM (SELECT r.id AS subscriber_id, c.id AS creator_id, 'active'::creator_platform.subscription_status AS status,
               greatest(:t_now - interval '1 day' * (3 + 27 * f.j), c.created_at + interval '1 hour') AS subscribed_at,
               NULL::timestamptz AS cancelled_at
          FROM creator_platform.users r
         CROSS JOIN follow f
          JOIN gen_creators c ON c.sub_rank = f.sub_rank
         WHERE r.username = 'demo_reader'
        UNION ALL
        SELECT r.id, c.id, 'active', :t_now - interval '700 days', NULL
          FROM creator_platform.users r, creator_platform.users c
         WHERE r.username = 'demo_reader' AND c.username = 'demo_creator'
        UNION ALL
        SELECT r.id, c.id, 'cancelled', x.t, x.t + (:t_now - x.t) * 0.75
          FROM creator_platform.users r
          JOIN gen_creators c ON c.sub_rank = (SELECT min(g.sub_rank) FROM gen_creators g
                                                WHERE g.sub_rank NOT IN (SELECT f.sub_rank FROM follow f))
         CROSS JOIN LATERAL (SELECT greatest(:t_now - interval '400 days', c.created_at + interval '1 hour') AS t) AS x
         WHERE r.username = 'demo_reader'
        UNION ALL
        SELECT u.id, c.id, CASE WHEN u.k % 10 = 3 THEN 'cancelled' ELSE 'active' END::creator_platform.subscription_status,
               greatest(u.created_at, c.created_at) + (:t_now - greatest(u.created_at, c.created_at)) * 0.5,
               CASE WHEN u.k % 10 = 3 THEN :t_now - (:t_now - greatest(u.created_at, c.created_at)) * 0.25 END
          FROM gen_users u, creator_platform.users c
         WHERE c.username = 'demo_creator' AND u.k % greatest(1, :n_users / 200) = 0
        UNION ALL
        SELECT a.id, c.id, 'active', :t_now - interval '365 days', NULL
          FROM creator_platform.users a, creator_platform.users c
         WHERE a.username = 'demo_admin' AND c.username = 'demo_creator') AS s
 ORDER BY s.subscribed_at, s.subscriber_id, s.creator_id, s.status;

SELECT format('generate: %-24s %12s rows %8s s', 'demo subscriptions', to_char(:ROW_COUNT, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

--------------------------------------------------------------------------------
-- exact counters (only rows whose value is off: none once triggers keep them)
--------------------------------------------------------------------------------
UPDATE creator_platform.posts p
   SET comment_count = x.n
  FROM (SELECT p2.id, coalesce(a.n, 0)::int AS n
          FROM creator_platform.posts p2
          LEFT JOIN (SELECT c.post_id, count(*) FILTER (WHERE c.deleted_at IS NULL) AS n
                       FROM creator_platform.comments c
                      GROUP BY c.post_id) AS a ON a.post_id = p2.id) AS x
 WHERE p.id = x.id AND p.comment_count <> x.n;
SELECT :ROW_COUNT AS n_fixed_posts \gset

UPDATE creator_platform.comments c
   SET reply_count = x.n
  FROM (SELECT c2.id, coalesce(a.n, 0)::int AS n
          FROM creator_platform.comments c2
          LEFT JOIN (SELECT r.parent_comment_id, count(*) AS n
                       FROM creator_platform.comments r
                      WHERE r.parent_comment_id IS NOT NULL
                      GROUP BY r.parent_comment_id) AS a ON a.parent_comment_id = c2.id) AS x
 WHERE c.id = x.id AND c.reply_count <> x.n;

SELECT format('generate: %-24s %12s rows %8s s', 'counters', to_char(:ROW_COUNT + :n_fixed_posts, 'FM999,999,999'),
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       clock_timestamp() AS t_stage \gset
\echo :msg

--------------------------------------------------------------------------------
-- statistics and visibility map for the benchmarks
--------------------------------------------------------------------------------
DROP TABLE gen_level, gen_pub, gen_demo, gen_demo_users, gen_users, gen_creators, gen_post_text, gen_comment_text, gen_sentences;
VACUUM (ANALYZE) creator_platform.users, creator_platform.posts, creator_platform.comments,
                 creator_platform.subscriptions;

SELECT format('generate: %-24s %12s      %8s s', 'vacuum analyze', '',
              to_char(extract(epoch FROM clock_timestamp() - :'t_stage'::timestamptz), 'FM99990.0')) AS msg,
       format('generate: done in %s s: %s users, %s posts, %s comments, %s subscriptions',
              to_char(extract(epoch FROM clock_timestamp() - :'t_start'::timestamptz), 'FM99990.0'),
              (SELECT count(*) FROM creator_platform.users), (SELECT count(*) FROM creator_platform.posts),
              (SELECT count(*) FROM creator_platform.comments),
              (SELECT count(*) FROM creator_platform.subscriptions)) AS msg_done \gset
\echo :msg
\echo :msg_done
