-- 170_comment_events: the outbox for comments (API.md, "Events"): every
-- inserted comment appends one event kind 'comment_added' with payload exactly
-- {comment_id, post_id, user_id} (uuid strings), in the same transaction
-- (created_at = the transaction's now(), unprocessed), ids in the order the
-- rows were inserted, whichever way they come (single, multi-row,
-- INSERT ... SELECT, add_comment); none for a statement that fails, none for
-- UPDATEs and deletions; events outlive their comments. (The NOTIFY that goes
-- with each event is delivered at commit, which pgTAP never reaches: see the
-- isolation spec comment_added_notify.)
BEGIN;
SET search_path = creator_platform, public;
SELECT plan(18);

INSERT INTO users (id, email, username, role) VALUES
    ('00000000-0000-7000-8000-0000000000c1', 'creator@x.io', 'the_creator', 'creator'),
    ('00000000-0000-7000-8000-0000000000e1', 'r1@x.io', 'reader_one', 'reader'),
    ('00000000-0000-7000-8000-0000000000e2', 'r2@x.io', 'reader_two', 'reader');
INSERT INTO posts (id, creator_id, title, status, published_at) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000c1', 'one', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000c1', 'two', 'published', now() - interval '1 day'),
    ('00000000-0000-7000-8000-000000000b03', '00000000-0000-7000-8000-0000000000c1', 'draft', 'draft', NULL);

-- events appended since the last mark()
CREATE TEMP TABLE last_event (id bigint);
INSERT INTO last_event SELECT coalesce(max(id), 0) FROM events;
CREATE FUNCTION pg_temp.mark() RETURNS void LANGUAGE sql AS $f$
    UPDATE last_event SET id = (SELECT coalesce(max(id), 0) FROM creator_platform.events)
$f$;
CREATE FUNCTION pg_temp.new_events() RETURNS SETOF creator_platform.events LANGUAGE sql AS $f$
    SELECT e.id, e.kind, e.payload, e.created_at, e.processed_at FROM creator_platform.events e
     WHERE e.id > (SELECT id FROM last_event) ORDER BY e.id
$f$;
-- the payload a comment's event must carry
CREATE FUNCTION pg_temp.payload_of(c creator_platform.comments) RETURNS jsonb LANGUAGE sql AS $f$
    SELECT jsonb_build_object('comment_id', c.id::text, 'post_id', c.post_id::text, 'user_id', c.user_id::text)
$f$;

--------------------------------------------------------------------------------
-- one event per comment, payload exact
--------------------------------------------------------------------------------
SELECT pg_temp.mark();
INSERT INTO comments (id, post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000c01', '00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'hello');
SELECT results_eq(
    $$SELECT kind, payload, created_at, processed_at FROM pg_temp.new_events()$$,
    $$VALUES ('comment_added'::text,
              '{"comment_id": "00000000-0000-7000-8000-000000000c01", "post_id": "00000000-0000-7000-8000-000000000b01",
                "user_id": "00000000-0000-7000-8000-0000000000e1"}'::jsonb,
              now(), NULL::timestamptz)$$,
    'a single INSERT: one comment_added event, payload {comment_id, post_id, user_id}, in this transaction, unprocessed');
SELECT is((SELECT array_agg(k ORDER BY k) FROM pg_temp.new_events() AS e, jsonb_object_keys(e.payload) AS k),
          ARRAY['comment_id', 'post_id', 'user_id'], 'the payload has exactly those three keys');
SELECT is((SELECT array_agg(DISTINCT jsonb_typeof(v)) FROM pg_temp.new_events() AS e, jsonb_each(e.payload) AS j(k, v)),
          ARRAY['string'], '... each a string');

SELECT pg_temp.mark();
SELECT FROM add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2', 'a reply',
                        '00000000-0000-7000-8000-000000000c01');
SELECT results_eq(
    $$SELECT e.kind, e.payload FROM pg_temp.new_events() AS e$$,
    $$SELECT 'comment_added'::text, pg_temp.payload_of(c) FROM comments c WHERE c.content = 'a reply'$$,
    'add_comment() of a reply: one event, with the reply''s own ids (the parent is not in the payload)');

--------------------------------------------------------------------------------
-- multi-row INSERT and INSERT ... SELECT: one each, in insertion order
--------------------------------------------------------------------------------
SELECT pg_temp.mark();
INSERT INTO comments (post_id, user_id, parent_comment_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e2', NULL, 'row 1'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', '00000000-0000-7000-8000-000000000c01', 'row 2'),
    ('00000000-0000-7000-8000-000000000b02', '00000000-0000-7000-8000-0000000000e1', NULL, 'row 3'),
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e2', NULL, 'row 4');
SELECT results_eq(
    $$SELECT e.payload FROM pg_temp.new_events() AS e$$,
    $$SELECT pg_temp.payload_of(c) FROM comments c WHERE c.content LIKE 'row %' ORDER BY c.content$$,
    'a multi-row INSERT over two posts: one event per row, ids in the order of the rows');

-- ids given out of order, so that event order cannot be id order by chance
SELECT pg_temp.mark();
INSERT INTO comments (id, post_id, user_id, content)
SELECT md5('bulk ' || g)::uuid,
       CASE WHEN g % 2 = 0 THEN '00000000-0000-7000-8000-000000000b01'::uuid ELSE '00000000-0000-7000-8000-000000000b02'::uuid END,
       CASE WHEN g % 3 = 0 THEN '00000000-0000-7000-8000-0000000000e1'::uuid ELSE '00000000-0000-7000-8000-0000000000e2'::uuid END,
       'bulk ' || g
  FROM generate_series(1, 250) AS g ORDER BY g;
SELECT is((SELECT count(*) FROM pg_temp.new_events()), 250::bigint, 'INSERT ... SELECT of 250 comments: 250 events');
SELECT results_eq(
    $$SELECT e.payload FROM pg_temp.new_events() AS e$$,
    $$SELECT pg_temp.payload_of(c) FROM comments c
        JOIN generate_series(1, 250) AS g ON c.id = md5('bulk ' || g)::uuid ORDER BY g$$,
    '... in the order the SELECT produced the rows (not the order of the comment ids)');
SELECT is((SELECT count(DISTINCT e.payload->>'comment_id') FROM pg_temp.new_events() AS e), 250::bigint,
          '... one per comment, no comment twice');
SELECT is((SELECT count(*) FROM pg_temp.new_events() WHERE kind <> 'comment_added' OR created_at <> now()
                                                         OR processed_at IS NOT NULL),
          0::bigint, '... all comment_added, created in this transaction, unprocessed');

-- every comment of this file has exactly one event
SELECT is_empty(
    $$SELECT c.id FROM comments c
       WHERE (SELECT count(*) FROM events e WHERE e.kind = 'comment_added' AND e.payload = pg_temp.payload_of(c)) <> 1$$,
    'every comment has exactly one comment_added event');

--------------------------------------------------------------------------------
-- no event for a statement that fails, nor for UPDATE or deletion
--------------------------------------------------------------------------------
SELECT * FROM cp_test.rejects(
    $$INSERT INTO comments (post_id, user_id, content)
      SELECT CASE WHEN g = 90 THEN '00000000-0000-7000-8000-000000000b03'::uuid
                  ELSE '00000000-0000-7000-8000-000000000b01'::uuid END,
             '00000000-0000-7000-8000-0000000000e1', 'doomed ' || g
        FROM generate_series(1, 100) AS g$$,
    '55000', 'INSERT ... SELECT failing at its 90th row (on a draft): no event at all');
SELECT * FROM cp_test.rejects(
    $$SELECT add_comment('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', ' ')$$,
    '23514', 'add_comment() of blank content: no event');
SAVEPOINT undone;
INSERT INTO comments (post_id, user_id, content) VALUES
    ('00000000-0000-7000-8000-000000000b01', '00000000-0000-7000-8000-0000000000e1', 'rolled back');
ROLLBACK TO SAVEPOINT undone;
SELECT pg_temp.mark();
UPDATE comments SET content = content || '!' WHERE content LIKE 'bulk %';
SELECT delete_comment('00000000-0000-7000-8000-000000000c01');  -- has replies: a placeholder
SELECT delete_comment(id) FROM comments WHERE content = 'row 4!';
DELETE FROM comments WHERE content LIKE 'bulk 1_!';
SELECT is_empty($$SELECT * FROM pg_temp.new_events()$$,
                'no event for an UPDATE, a placeholder, delete_comment(), or a DELETE');
SELECT is((SELECT count(*) FROM events WHERE payload->>'comment_id' IN
              (SELECT id::text FROM comments WHERE content = 'rolled back')), 0::bigint,
          'no event survives the savepoint rolled back with its comment');

-- events outlive what they announce
SELECT pg_temp.mark();
DELETE FROM posts WHERE id = '00000000-0000-7000-8000-000000000b02';
SELECT is((SELECT count(*) FROM events WHERE kind = 'comment_added'
                                         AND payload->>'post_id' = '00000000-0000-7000-8000-000000000b02'),
          127::bigint, 'the events of the comments of a deleted post stay (2 + 125)');
SELECT is_empty($$SELECT * FROM pg_temp.new_events()$$, 'deleting a post appends no event');

SELECT * FROM finish();
ROLLBACK;
