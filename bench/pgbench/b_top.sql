-- side B, a top-level comment into the plain table: the app supplies depth 0 and the path
-- (id and created_at chosen by the statement, path = key(created_at, id)), as the triggers would
\set k random(1, :n_top)
\set u random(1, :n_users)
SELECT t.post_id, u.user_id FROM bench.top_targets t, bench.user_ids u WHERE t.k = :k AND u.k = :u \gset
INSERT INTO bench.comments_plain (id, post_id, user_id, content, created_at, depth, path)
SELECT v.id, :post_id::uuid, :user_id::uuid, 'Great post, thanks for sharing! Could you say more about the second step?', v.ts, 0,
       int8send(((extract(epoch FROM v.ts) - 946684800) * 1000000)::bigint # (-9223372036854775808)::bigint) || uuid_send(v.id)
  FROM (SELECT creator_platform.uuid_generate_v7() AS id, now() AS ts) AS v;
