-- bench/load.sh, pgbench (publishing): a random creator saves a draft, then publishes it with
-- publish_post (two transactions, as an editor would).
\set c random(1, :n_creators)
INSERT /* a draft */ INTO creator_platform.posts (creator_id, title, content)
SELECT x.id, 'load: a post by creator ' || :c, 'Written under load.'
  FROM bench_load.creators x WHERE x.n = :c
RETURNING id AS p_id
\gset
SELECT /* publish it */ p.status, p.published_at FROM creator_platform.publish_post(:p_id) p;
