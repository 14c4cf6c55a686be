-- The data every example of docs/reference.md runs against (scripts/doc-examples.sh).
-- Fixed ids (users ...0001-0005, posts ...0101-0106, comments ...0201-0204,
-- subscriptions ...0301-0303), fixed times in 2024 (2020 for the old post), and a
-- fixed cursor key, so that every output, cursors included, is the same on every run.
CREATE EXTENSION creator_platform CASCADE;
CREATE EXTENSION dblink;
SET TIME ZONE 'UTC';
UPDATE creator_platform.cursor_secret SET secret = '\x000102030405060708090a0b0c0d0e0f';

INSERT INTO creator_platform.users (id, email, username, role, bio) VALUES
  ('00000000-0000-7000-8000-000000000001', 'ada@example.com', 'ada', 'creator', 'Writes about engines'),
  ('00000000-0000-7000-8000-000000000002', 'bob@example.com', 'bob', 'reader',  NULL),
  ('00000000-0000-7000-8000-000000000003', 'cyd@example.com', 'cyd', 'admin',   NULL),
  ('00000000-0000-7000-8000-000000000004', 'dee@example.com', 'dee', 'reader',  NULL),
  ('00000000-0000-7000-8000-000000000005', 'eve@example.com', 'eve', 'creator', NULL);

INSERT INTO creator_platform.posts (id, creator_id, title, content, status, visibility, published_at) VALUES
  ('00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000001', 'Hello world',      'First post',      'published', 'public',      '2024-03-01 12:00+00'),
  ('00000000-0000-7000-8000-000000000102', '00000000-0000-7000-8000-000000000001', 'Members only',     'For subscribers', 'published', 'subscribers', '2024-03-02 12:00+00'),
  ('00000000-0000-7000-8000-000000000103', '00000000-0000-7000-8000-000000000001', 'Third post',       'More',            'published', 'public',      '2024-03-03 12:00+00'),
  ('00000000-0000-7000-8000-000000000104', '00000000-0000-7000-8000-000000000005', 'Eve''s first',     'Hi',              'published', 'public',      '2024-03-04 12:00+00'),
  ('00000000-0000-7000-8000-000000000105', '00000000-0000-7000-8000-000000000001', 'Work in progress', 'Draft',           'draft',     'public',      NULL),
  ('00000000-0000-7000-8000-000000000106', '00000000-0000-7000-8000-000000000005', 'Old news',         'From 2020',       'published', 'public',      '2020-01-01 12:00+00');

INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
  ('00000000-0000-7000-8000-000000000201', '00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000002', NULL, 'Great post!', '2024-03-01 13:00+00');
INSERT INTO creator_platform.comments (id, post_id, user_id, parent_comment_id, content, created_at) VALUES
  ('00000000-0000-7000-8000-000000000202', '00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000201', 'Thanks!', '2024-03-01 14:00+00'),
  ('00000000-0000-7000-8000-000000000203', '00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000004', NULL, 'Me too', '2024-03-01 15:00+00'),
  ('00000000-0000-7000-8000-000000000204', '00000000-0000-7000-8000-000000000106', '00000000-0000-7000-8000-000000000002', NULL, 'Old comment', '2020-01-02 12:00+00');

INSERT INTO creator_platform.subscriptions (id, subscriber_id, creator_id, status, subscribed_at, cancelled_at) VALUES
  ('00000000-0000-7000-8000-000000000301', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', 'active',    '2024-02-01 12:00+00', NULL),
  ('00000000-0000-7000-8000-000000000302', '00000000-0000-7000-8000-000000000004', '00000000-0000-7000-8000-000000000001', 'cancelled', '2024-02-05 12:00+00', '2024-02-15 12:00+00'),
  ('00000000-0000-7000-8000-000000000303', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000005', 'active',    '2024-02-10 12:00+00', NULL);

-- the first three events are processed, long ago
UPDATE creator_platform.events SET processed_at = '2024-03-10 00:00+00' WHERE id <= 3;
SELECT creator_platform.refresh_stats();

-- Roles for the privilege examples (cluster-wide; made by the script before this file).
SELECT creator_platform.grant_usage('app');

-- docs.other(sql): run sql in a second session (a dblink connection kept for the
-- rest of the example), for the examples that need two sessions.
CREATE SCHEMA docs;
CREATE FUNCTION docs.other(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF NOT coalesce('other' = ANY (dblink_get_connections()), false) THEN
    PERFORM dblink_connect('other', format('host=%s port=%s dbname=%s user=postgres',
      split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));
  END IF;
  RETURN dblink_exec('other', sql);
END $$;
