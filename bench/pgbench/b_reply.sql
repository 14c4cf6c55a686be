-- side B, a reply into the plain table: the app supplies depth = parent's depth + 1 and
-- path = parent's path || key(created_at, id), from the parent row it already has
\set k random(1, :n_reply)
\set u random(1, :n_users)
SELECT t.post_id, t.parent_id, t.parent_depth, t.parent_path, u.user_id
  FROM bench.reply_targets t, bench.user_ids u WHERE t.k = :k AND u.k = :u \gset
INSERT INTO bench.comments_plain (id, post_id, user_id, parent_comment_id, content, created_at, depth, path)
SELECT v.id, :post_id::uuid, :user_id::uuid, :parent_id::uuid, 'Great post, thanks for sharing! Could you say more about the second step?', v.ts, :parent_depth::integer + 1,
       decode(:parent_path, 'hex') || int8send(((extract(epoch FROM v.ts) - 946684800) * 1000000)::bigint # (-9223372036854775808)::bigint) || uuid_send(v.id)
  FROM (SELECT creator_platform.uuid_generate_v7() AS id, now() AS ts) AS v;
