-- one row into the table keyed by uuid_generate_v7()
INSERT INTO bench_uuid.t_v7 (payload) VALUES ('payload-payload-payload-payload-00000001');
