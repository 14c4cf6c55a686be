-- bench/load.sh, pgbench (publishing): publish_due_posts (what the pg_cron job does every minute;
-- here it publishes the posts this script scheduled in earlier transactions, also concurrently
-- with itself), then a random creator saves a draft and schedules it one second ahead.
SELECT /* publish the due posts */ creator_platform.publish_due_posts() AS due
\gset
\set c random(1, :n_creators)
INSERT /* a draft */ INTO creator_platform.posts (creator_id, title, content)
SELECT x.id, 'load: a scheduled post by creator ' || :c, 'Written under load.'
  FROM bench_load.creators x WHERE x.n = :c
RETURNING id AS p_id
\gset
SELECT /* schedule it 1 s ahead */ p.status, p.published_at
  FROM creator_platform.schedule_post(:p_id, pg_catalog.now() + interval '1 second') p;
