-- side C, a top-level comment: the app inserts post, author and text; the triggers do the rest
\set k random(1, :n_top)
\set u random(1, :n_users)
SELECT t.post_id, u.user_id FROM bench.top_targets t, bench.user_ids u WHERE t.k = :k AND u.k = :u \gset
INSERT INTO bench_plpgsql.comments (post_id, user_id, content)
VALUES (:post_id::uuid, :user_id::uuid, 'Great post, thanks for sharing! Could you say more about the second step?');
