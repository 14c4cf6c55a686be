-- side A, a reply: the app inserts post, parent, author and text; the triggers do the rest
\set k random(1, :n_reply)
\set u random(1, :n_users)
SELECT t.post_id, t.parent_id, t.parent_depth, t.parent_path, u.user_id
  FROM bench.reply_targets t, bench.user_ids u WHERE t.k = :k AND u.k = :u \gset
INSERT INTO creator_platform.comments (post_id, user_id, parent_comment_id, content)
VALUES (:post_id::uuid, :user_id::uuid, :parent_id::uuid, 'Great post, thanks for sharing! Could you say more about the second step?');
