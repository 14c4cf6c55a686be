-- one row into the table keyed by gen_random_uuid()
INSERT INTO bench_uuid.t_v4 (payload) VALUES ('payload-payload-payload-payload-00000001');
