-- side D, a top-level comment: side B's plain INSERT plus a NOTIFY in the same statement,
-- to measure what NOTIFY alone costs (its commit-time lock); no counters, no event row
\set k random(1, :n_top)
\set u random(1, :n_users)
SELECT t.post_id, u.user_id FROM bench.top_targets t, bench.user_ids u WHERE t.k = :k AND u.k = :u \gset
WITH ins AS (
INSERT INTO bench.comments_plain (id, post_id, user_id, content, created_at, depth, path)
SELECT v.id, :post_id::uuid, :user_id::uuid, 'Great post, thanks for sharing! Could you say more about the second step?', v.ts, 0,
       int8send(((extract(epoch FROM v.ts) - 946684800) * 1000000)::bigint # (-9223372036854775808)::bigint) || uuid_send(v.id)
  FROM (SELECT creator_platform.uuid_generate_v7() AS id, now() AS ts) AS v
 RETURNING id)
SELECT pg_notify('creator_platform_events', ins.id::text) FROM ins;
