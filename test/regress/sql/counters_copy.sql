-- counters_copy: comments loaded with COPY keep every counter exact (API.md,
-- "Counters": "whichever way a row arrives ... COPY"), obey the threading
-- rules, and get one comment_added event each. pgTAP cannot COPY FROM STDIN,
-- so this is a pg_regress test. Each load ends with the reconciliation of
-- every counter against the rows: 0 mismatches.
SET search_path = creator_platform, public;
SET timezone = 'UTC';

INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'copy_creator@x.io', 'copy_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'copy_r1@x.io', 'copy_reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'copy_r2@x.io', 'copy_reader_two', 'reader');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'one', 'published', '2024-01-01 00:00:00+00'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'two', 'published', '2024-01-01 00:00:00+00'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'three', 'published', '2024-01-01 00:00:00+00'),
    ('00000000-0000-7000-8000-000000000b04', '00000000-0000-7000-8000-0000000000c1', 'a draft', 'draft', NULL);

-- the reconciliation: counters that disagree with the rows they count
CREATE VIEW pg_temp.mismatches AS
SELECT (SELECT count(*) FROM posts p
         WHERE p.comment_count <> (SELECT count(*) FROM comments c
                                    WHERE c.post_id = p.id AND c.deleted_at IS NULL)) AS comment_count_mismatches,
       (SELECT count(*) FROM comments p
         WHERE p.reply_count <> (SELECT count(*) FROM comments c
                                  WHERE c.parent_comment_id = p.id)) AS reply_count_mismatches;

-- Row updates of a table in this transaction so far: the change of
-- pg_stat_xact_user_tables.n_tup_upd between two points of one transaction
-- (at its start it may still hold counts of earlier transactions not yet
-- reported, so only the difference counts).
CREATE VIEW pg_temp.row_updates AS
SELECT (SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'creator_platform.posts'::regclass) AS posts,
       (SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'creator_platform.comments'::regclass) AS comments;

-- 1. top-level comments over three posts, in one COPY, inside a transaction
-- that also counts the row updates of posts: one per post
BEGIN;
SELECT posts AS posts_before, comments AS comments_before FROM pg_temp.row_updates \gset
COPY comments (id, post_id, user_id, content, created_at) FROM STDIN;
00000000-0000-7000-8000-000000000c01	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e1	first on one	2024-01-02 00:00:01+00
00000000-0000-7000-8000-000000000c02	00000000-0000-7000-8000-000000000b02	00000000-0000-7000-8000-0000000000e1	first on two	2024-01-02 00:00:02+00
00000000-0000-7000-8000-000000000c03	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e2	second on one	2024-01-02 00:00:03+00
00000000-0000-7000-8000-000000000c04	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e2	first on three	2024-01-02 00:00:04+00
00000000-0000-7000-8000-000000000c05	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e1	third on one	2024-01-02 00:00:05+00
00000000-0000-7000-8000-000000000c06	00000000-0000-7000-8000-000000000b02	00000000-0000-7000-8000-0000000000e2	second on two	2024-01-02 00:00:06+00
\.
SELECT posts - :posts_before AS post_row_updates FROM pg_temp.row_updates;
COMMIT;
SELECT id, comment_count FROM posts ORDER BY id;
SELECT * FROM pg_temp.mismatches;

-- 2. replies in a second COPY (their parents exist before it starts), with
-- depth and path columns given wrong: the database sets both
COPY comments (id, post_id, user_id, parent_comment_id, content, created_at, depth, path) FROM STDIN;
00000000-0000-7000-8000-000000000d01	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e2	00000000-0000-7000-8000-000000000c01	reply to first on one	2024-01-03 00:00:01+00	7	\\x00
00000000-0000-7000-8000-000000000d02	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e1	00000000-0000-7000-8000-000000000c01	another reply to first on one	2024-01-03 00:00:02+00	0	\N
00000000-0000-7000-8000-000000000d03	00000000-0000-7000-8000-000000000b02	00000000-0000-7000-8000-0000000000e1	00000000-0000-7000-8000-000000000c06	reply to second on two	2024-01-03 00:00:03+00	\N	\N
00000000-0000-7000-8000-000000000d04	00000000-0000-7000-8000-000000000b01	00000000-0000-7000-8000-0000000000e1	00000000-0000-7000-8000-000000000c05	reply to third on one	2023-12-31 00:00:00+00	\N	\N
\.
SELECT id, comment_count FROM posts ORDER BY id;
SELECT id, parent_comment_id, depth, reply_count, length(path) AS path_bytes FROM comments ORDER BY post_id, path;
SELECT * FROM pg_temp.mismatches;

-- 3. a COPY that breaks a rule anywhere fails as a whole; nothing changes
-- a reply whose parent comes earlier in the same COPY: the parent is not
-- there yet for the trigger (load a thread level by level)
COPY comments (id, post_id, user_id, parent_comment_id, content) FROM STDIN;
00000000-0000-7000-8000-000000000e01	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1	\N	a parent
00000000-0000-7000-8000-000000000e02	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1	00000000-0000-7000-8000-000000000e01	its reply in the same COPY
\.
-- a comment on a draft at the end of a good batch
COPY comments (id, post_id, user_id, content) FROM STDIN;
00000000-0000-7000-8000-000000000e03	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1	fine
00000000-0000-7000-8000-000000000e04	00000000-0000-7000-8000-000000000b04	00000000-0000-7000-8000-0000000000e1	on a draft
\.
-- a reply across posts
COPY comments (id, post_id, user_id, parent_comment_id, content) FROM STDIN;
00000000-0000-7000-8000-000000000e05	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1	00000000-0000-7000-8000-000000000c01	parent on post one
\.
-- a placeholder, and a comment claiming replies
COPY comments (id, post_id, user_id, content, deleted_at) FROM STDIN;
00000000-0000-7000-8000-000000000e06	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1		2024-01-01 00:00:00+00
\.
COPY comments (id, post_id, user_id, content, reply_count) FROM STDIN;
00000000-0000-7000-8000-000000000e07	00000000-0000-7000-8000-000000000b03	00000000-0000-7000-8000-0000000000e1	counted	3
\.
SELECT count(*) AS comments, (SELECT sum(comment_count) FROM posts) AS counted FROM comments;
SELECT * FROM pg_temp.mismatches;

-- 4. a bigger load inside one transaction: 200 top-level comments over the
-- three posts, then 800 replies to the six first comments, each batch
-- generated by a program and read with psql's \copy (COPY FROM STDIN)
BEGIN;
SELECT posts AS posts_before, comments AS comments_before FROM pg_temp.row_updates \gset
\copy comments (id, post_id, user_id, content, created_at) FROM PROGRAM 'awk ''BEGIN { for (g = 1; g <= 200; g++) printf "00000000-0000-7000-8000-%012d\t00000000-0000-7000-8000-000000000b0%d\t00000000-0000-7000-8000-0000000000e%d\tloaded %d\t2024-02-01 00:00:%02d+00\n", 100000 + g, 1 + g % 3, 1 + g % 2, g, g % 17 }'''
SELECT posts - :posts_before AS post_row_updates FROM pg_temp.row_updates;
SELECT posts AS posts_before, comments AS comments_before FROM pg_temp.row_updates \gset
\copy comments (id, post_id, user_id, parent_comment_id, content, created_at) FROM PROGRAM 'awk ''BEGIN { split("1 2 1 3 1 2", post, " "); for (g = 1; g <= 800; g++) printf "00000000-0000-7000-8000-%012d\t00000000-0000-7000-8000-000000000b0%d\t00000000-0000-7000-8000-0000000000e%d\t00000000-0000-7000-8000-000000000c0%d\treply %d\t2024-02-01 00:01:%02d+00\n", 200000 + g, post[1 + g % 6], 1 + g % 2, 1 + g % 6, g, g % 17 }'''
SELECT posts - :posts_before AS post_row_updates, comments - :comments_before AS comment_row_updates
  FROM pg_temp.row_updates;
COMMIT;
SELECT id, comment_count FROM posts ORDER BY id;
SELECT id, reply_count FROM comments WHERE reply_count > 0 ORDER BY id;
SELECT * FROM pg_temp.mismatches;

-- 5. the events: one comment_added per loaded comment, none for the failed loads
SELECT count(*) AS comment_added_events,
       count(DISTINCT payload->>'comment_id') AS distinct_comments,
       (SELECT count(*) FROM comments) AS comments
  FROM events WHERE kind = 'comment_added';
SELECT count(*) AS events_of_failed_loads FROM events
 WHERE payload->>'comment_id' LIKE '00000000-0000-7000-8000-000000000e%';

-- 6. and after deleting with placeholders, still exact
SELECT delete_comment('00000000-0000-7000-8000-000000000c01');
DELETE FROM comments WHERE id = '00000000-0000-7000-8000-000000000c02';
SELECT id, comment_count FROM posts ORDER BY id;
SELECT * FROM pg_temp.mismatches;

-- leave the database as it was (the regress tests share it)
DROP VIEW pg_temp.mismatches;
DROP VIEW pg_temp.row_updates;
DELETE FROM comments;
DELETE FROM posts;
DELETE FROM users;
DELETE FROM events;
SELECT (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM posts) AS posts,
       (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM events) AS events;
