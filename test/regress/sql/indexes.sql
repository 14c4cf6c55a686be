-- indexes: the main lookups of the platform use the indexes made for them.
-- The data is built here, deterministically from the series numbers, big
-- enough that the planner picks the indexes on its own (no enable_* settings),
-- then ANALYZEd (every table is under 30,000 rows, so ANALYZE reads all rows
-- and the statistics are the same on every run). Queries use literal
-- constants and select columns outside the index, so no plan depends on the
-- visibility map (index-only scans) or on autovacuum's timing.
SET search_path = creator_platform, public;
SET timezone = 'UTC';

-- ids: 00000000-0000-7000-800K-<n, 12 decimal digits>, K = 0 users, 1 posts,
-- 2 comments, 3 subscriptions
-- 2,000 users: 1..200 creators, 201..2000 readers
INSERT INTO users (id, email, username, role, created_at)
SELECT ('00000000-0000-7000-8000-' || lpad(g::text, 12, '0'))::uuid,
       'user' || g || '@example.com',
       'user_' || g,
       CASE WHEN g <= 200 THEN 'creator' ELSE 'reader' END::user_role,
       timestamptz '2023-01-01' + g * interval '1 hour'
  FROM generate_series(1, 2000) AS g;

-- 20,000 posts: post g belongs to creator g % 200 + 1, whose m-th post it is
-- (m = g / 200); by m % 10 each creator has 10 drafts (0), 10 scheduled in 2100
-- (1) and 80 published posts (2..9, 16,000 in all), published_at rising with g
INSERT INTO posts (id, creator_id, title, content, status, visibility, published_at, created_at)
SELECT ('00000000-0000-7000-8001-' || lpad(g::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad((g % 200 + 1)::text, 12, '0'))::uuid,
       'post ' || g,
       repeat('words ', 20),
       CASE g / 200 % 10 WHEN 0 THEN 'draft' WHEN 1 THEN 'scheduled' ELSE 'published' END::post_status,
       CASE WHEN g % 7 = 0 THEN 'subscribers' ELSE 'public' END::post_visibility,
       CASE g / 200 % 10 WHEN 0 THEN NULL
                         WHEN 1 THEN timestamptz '2100-01-01' + g * interval '1 minute'
                         ELSE timestamptz '2024-01-01' + g * interval '10 minutes' END,
       timestamptz '2023-12-01' + g * interval '10 minutes'
  FROM generate_series(1, 20000) AS g;

-- Comments follow the threading rules of 0.2.0: on published posts only,
-- replies on their parent's post; depth and path are set by the database.
-- 15,000 top-level comments, 150 on each of 100 popular published posts:
-- for i = c % 100, block b = 10 * (i / 16) + 2 + i % 16 / 2 (so b % 10 is in
-- 2..9: published) and post g = 200 * b + i, by creator i + 1
INSERT INTO comments (id, post_id, user_id, content, created_at)
SELECT ('00000000-0000-7000-8002-' || lpad(c::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8001-' || lpad((200 * (10 * (c % 100 / 16) + 2 + c % 100 % 16 / 2) + c % 100)::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad((c % 2000 + 1)::text, 12, '0'))::uuid,
       'comment ' || c,
       timestamptz '2024-06-01' + c * interval '1 minute'
  FROM generate_series(1, 15000) AS c;
-- 5,000 replies, 50 to each of comments 1..100, on their parent's post
INSERT INTO comments (id, post_id, user_id, parent_comment_id, content, created_at)
SELECT ('00000000-0000-7000-8002-' || lpad((15000 + r)::text, 12, '0'))::uuid,
       p.post_id,
       ('00000000-0000-7000-8000-' || lpad((r % 2000 + 1)::text, 12, '0'))::uuid,
       p.id,
       'reply ' || r,
       p.created_at + r * interval '1 second'
  FROM generate_series(1, 5000) AS r
  JOIN comments p ON p.id = ('00000000-0000-7000-8002-' || lpad(((r - 1) % 100 + 1)::text, 12, '0'))::uuid;

-- 5,000 subscriptions, every (subscriber, creator) pair distinct, k % 5 = 0 cancelled:
--   k 0..1999:    readers 201..210 follow all 200 creators
--   k 2000..2999: readers 211..1210 follow creator 1 (a popular creator)
--   k 3000..4999: readers 1211..2000 follow two or three of creators 2..200
INSERT INTO subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at)
SELECT ('00000000-0000-7000-8003-' || lpad(k::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad(s::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad(c::text, 12, '0'))::uuid,
       CASE WHEN k % 5 = 0 THEN 'cancelled' ELSE 'active' END::subscription_status,
       timestamptz '2024-01-01' + k * interval '10 minutes',
       CASE WHEN k % 5 = 0 THEN timestamptz '2024-03-01' + k * interval '10 minutes' END
  FROM generate_series(0, 4999) AS k,
       LATERAL (SELECT CASE WHEN k < 2000 THEN 201 + k / 200
                            WHEN k < 3000 THEN 211 + (k - 2000)
                            ELSE 1211 + (k - 3000) % 790 END AS s,
                       CASE WHEN k < 2000 THEN 1 + k % 200
                            WHEN k < 3000 THEN 1
                            ELSE 2 + ((k - 3000) / 790 + (k - 3000)) % 199 END AS c) AS pair;

-- the posts and comments above wrote their events (0.2.0: post_published,
-- comment_added); the outbox fixture below stands alone, so they go (and
-- every table stays under 30,000 rows, see above)
DELETE FROM events;

-- 20,000 events, all processed but the last 50
INSERT INTO events (kind, payload, created_at, processed_at)
SELECT 'post_published',
       jsonb_build_object('n', e),
       timestamptz '2024-01-01' + e * interval '1 minute',
       CASE WHEN e <= 19950 THEN timestamptz '2024-01-01' + e * interval '1 minute' + interval '1 second' END
  FROM generate_series(1, 20000) AS e;

ANALYZE users;
ANALYZE posts;
ANALYZE comments;
ANALYZE subscriptions;
ANALYZE events;

SELECT (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM posts) AS posts,
       (SELECT count(*) FROM posts WHERE status = 'published') AS published,
       (SELECT count(*) FROM comments) AS comments,
       (SELECT count(*) FROM subscriptions WHERE status = 'active') AS active_subscriptions,
       (SELECT count(*) FROM events WHERE processed_at IS NULL) AS unprocessed_events;
-- the counters the database kept while the comments went in
SELECT (SELECT sum(comment_count) FROM posts) AS comment_count_total,
       (SELECT count(*) FROM posts WHERE comment_count = 200) AS posts_with_200,
       (SELECT count(*) FROM posts WHERE comment_count <> 0) AS posts_with_comments,
       (SELECT sum(reply_count) FROM comments) AS reply_count_total,
       (SELECT count(*) FROM comments WHERE reply_count = 50) AS comments_with_50_replies,
       (SELECT count(*) FILTER (WHERE depth = 0) FROM comments) AS depth_0,
       (SELECT count(*) FILTER (WHERE depth = 1) FROM comments) AS depth_1;

-- a user by email, ignoring case: users_email_lower_key
EXPLAIN (COSTS OFF)
SELECT id, username, role FROM users WHERE lower(email) = lower('User42@Example.COM');
SELECT id, username, role FROM users WHERE lower(email) = lower('User42@Example.COM');

-- a user by username, ignoring case: users_username_lower_key
EXPLAIN (COSTS OFF)
SELECT id, email, role FROM users WHERE lower(username) = lower('USER_42');

-- a creator's published posts, newest first, first page: posts_creator_published_idx
EXPLAIN (COSTS OFF)
SELECT id, title, published_at FROM posts
 WHERE creator_id = '00000000-0000-7000-8000-000000000042' AND status = 'published'
 ORDER BY published_at DESC, id DESC LIMIT 20;

-- ... and the next page by keyset: posts_creator_published_idx
EXPLAIN (COSTS OFF)
SELECT id, title, published_at FROM posts
 WHERE creator_id = '00000000-0000-7000-8000-000000000042' AND status = 'published'
   AND (published_at, id) < ('2024-02-28 14:50:00+00', '00000000-0000-7000-8001-000000008441')
 ORDER BY published_at DESC, id DESC LIMIT 20;
SELECT id, title, published_at FROM posts
 WHERE creator_id = '00000000-0000-7000-8000-000000000042' AND status = 'published'
   AND (published_at, id) < ('2024-02-28 14:50:00+00', '00000000-0000-7000-8001-000000008441')
 ORDER BY published_at DESC, id DESC LIMIT 3;

-- a creator's dashboard, all statuses: posts_creator_id_idx
EXPLAIN (COSTS OFF)
SELECT id, title, status FROM posts WHERE creator_id = '00000000-0000-7000-8000-000000000042';

-- recent published posts, newest first, by keyset: posts_published_idx
EXPLAIN (COSTS OFF)
SELECT id, creator_id, title, published_at FROM posts
 WHERE status = 'published'
   AND (published_at, id) < ('2024-02-28 14:50:00+00', '00000000-0000-7000-8001-000000008441')
 ORDER BY published_at DESC, id DESC LIMIT 20;

-- due scheduled posts: posts_scheduled_idx
EXPLAIN (COSTS OFF)
SELECT id, creator_id FROM posts
 WHERE status = 'scheduled' AND published_at <= '2100-01-02 00:00:00+00'
 ORDER BY published_at LIMIT 100;

-- a post's thread, depth-first (every comment followed by its replies),
-- first page: comments_thread_idx, no sort
EXPLAIN (COSTS OFF)
SELECT id, parent_comment_id, user_id, content, depth FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
 ORDER BY post_id, path LIMIT 50;
SELECT id, parent_comment_id, depth, content FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
 ORDER BY post_id, path LIMIT 5;

-- ... and the next page by keyset: the cursor carries the path of the last
-- row of the page before (here reply 507, the 6th comment of the thread, under
-- comment 7): comments_thread_idx, no sort
SELECT encode(path, 'hex') AS path_of_reply_507 FROM comments WHERE id = '00000000-0000-7000-8002-000000015507';
EXPLAIN (COSTS OFF)
SELECT id, parent_comment_id, user_id, content, depth FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
   AND path > '\x8002bcc7a5d2f100000000000000700080020000000000078002bcc7c40b25c000000000000070008002000000015507'
 ORDER BY post_id, path LIMIT 50;
SELECT id, parent_comment_id, depth, content FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
   AND path > '\x8002bcc7a5d2f100000000000000700080020000000000078002bcc7c40b25c000000000000070008002000000015507'
 ORDER BY post_id, path LIMIT 3;

-- one comment's subtree, itself first: the range [path, path || 0xFF x 25)
-- of comments_thread_idx (here comment 7, whose path is its one key)
EXPLAIN (COSTS OFF)
SELECT id, depth, content FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
   AND path >= '\x8002bcc7a5d2f10000000000000070008002000000000007'
   AND path < '\x8002bcc7a5d2f10000000000000070008002000000000007ffffffffffffffffffffffffffffffffffffffffffffffffff'
 ORDER BY post_id, path;
SELECT count(*) AS subtree_size, count(*) FILTER (WHERE parent_comment_id = '00000000-0000-7000-8002-000000000007') AS replies
  FROM comments
 WHERE post_id = '00000000-0000-7000-8001-000000001007'
   AND path >= '\x8002bcc7a5d2f10000000000000070008002000000000007'
   AND path < '\x8002bcc7a5d2f10000000000000070008002000000000007ffffffffffffffffffffffffffffffffffffffffffffffffff';

-- the replies of a comment: comments_parent_comment_id_idx
EXPLAIN (COSTS OFF)
SELECT id, user_id, content, created_at FROM comments
 WHERE parent_comment_id = '00000000-0000-7000-8002-000000000007'
 ORDER BY created_at, id LIMIT 20;

-- a user's comments: comments_user_id_idx
EXPLAIN (COSTS OFF)
SELECT id, post_id, content FROM comments WHERE user_id = '00000000-0000-7000-8000-000000000777';

-- a reader's active subscriptions (home_feed's followed set): subscriptions_one_active_idx
EXPLAIN (COSTS OFF)
SELECT creator_id, subscribed_at FROM subscriptions
 WHERE subscriber_id = '00000000-0000-7000-8000-000000001500' AND status = 'active';
SELECT creator_id, subscribed_at FROM subscriptions
 WHERE subscriber_id = '00000000-0000-7000-8000-000000001500' AND status = 'active'
 ORDER BY creator_id;

-- subscriptions_of: a reader's subscriptions by status, newest first, first
-- page and next page: subscriptions_subscriber_idx
EXPLAIN (COSTS OFF)
SELECT id, creator_id, subscribed_at FROM subscriptions
 WHERE subscriber_id = '00000000-0000-7000-8000-000000000201' AND status = 'active'
 ORDER BY subscribed_at DESC, id DESC LIMIT 20;
EXPLAIN (COSTS OFF)
SELECT id, creator_id, subscribed_at FROM subscriptions
 WHERE subscriber_id = '00000000-0000-7000-8000-000000000201' AND status = 'active'
   AND (subscribed_at, id) < ('2024-01-02 01:10:00+00', '00000000-0000-7000-8003-000000000151')
 ORDER BY subscribed_at DESC, id DESC LIMIT 20;
SELECT id, creator_id, subscribed_at FROM subscriptions
 WHERE subscriber_id = '00000000-0000-7000-8000-000000000201' AND status = 'active'
   AND (subscribed_at, id) < ('2024-01-02 01:10:00+00', '00000000-0000-7000-8003-000000000151')
 ORDER BY subscribed_at DESC, id DESC LIMIT 3;

-- subscribers_of: a creator's subscribers by status, newest first: subscriptions_creator_idx
EXPLAIN (COSTS OFF)
SELECT id, subscriber_id, subscribed_at FROM subscriptions
 WHERE creator_id = '00000000-0000-7000-8000-000000000001' AND status = 'active'
 ORDER BY subscribed_at DESC, id DESC LIMIT 20;
EXPLAIN (COSTS OFF)
SELECT id, subscriber_id, subscribed_at FROM subscriptions
 WHERE creator_id = '00000000-0000-7000-8000-000000000001' AND status = 'cancelled'
   AND (subscribed_at, id) < ('2024-01-20 00:00:00+00', '00000000-0000-7000-8003-000000002600')
 ORDER BY subscribed_at DESC, id DESC LIMIT 20;

-- the outbox backlog, oldest first: events_unprocessed_idx
EXPLAIN (COSTS OFF)
SELECT id, kind, payload FROM events
 WHERE processed_at IS NULL
 ORDER BY id LIMIT 100
   FOR UPDATE SKIP LOCKED;
