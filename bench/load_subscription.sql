-- bench/load.sh, pgbench (subscriptions): a random (subscriber, creator) pair from bench_load.pairs
-- (pairs active at setup, and random reader-creator pairs; a subscriber is never its creator),
-- subscribed (60%: a new row, or the active one returned) or cancelled (40%: the cancelled row, or
-- NULL when none was active). Pairs repeat, so clients race on the same pair now and then.
\set v random(1, 100)
\set k random(1, :n_pairs)
\if :v <= 60
SELECT /* subscribe */ s.id, s.status
  FROM creator_platform.subscribe((SELECT x.subscriber_id FROM bench_load.pairs x WHERE x.n = :k),
                                  (SELECT x.creator_id FROM bench_load.pairs x WHERE x.n = :k)) s;
\else
SELECT /* cancel */ s.id, s.status
  FROM creator_platform.cancel_subscription((SELECT x.subscriber_id FROM bench_load.pairs x WHERE x.n = :k),
                                            (SELECT x.creator_id FROM bench_load.pairs x WHERE x.n = :k)) s;
\endif
