-- The catalog footprint of the creator_platform extension in the current database.
--
--   psql -X -q -v ON_ERROR_STOP=1 -d DB -f test/sql/catalog_footprint.sql > footprint.txt
--
-- Prints one fact per line, sorted (byte order), so that the footprints of two
-- databases can be compared with diff(1): test/tap/upgrade.sh compares an install
-- of the oldest version brought up with ALTER EXTENSION ... UPDATE against a fresh
-- install of the newest. Covered: the extension (version, requirements, pg_dump
-- configuration), its members, and everything in its schema or among its members:
-- functions (properties, full definition, ACL), relations (columns in order with
-- type, default, identity, collation; constraints, indexes, triggers, rules,
-- policies, view definitions, sequence parameters, options, replica identity,
-- ACLs), types (enum labels in order, domains, ranges), operators, operator
-- classes and families, casts, collations, statistics objects, event triggers,
-- publications, default privileges, initial privileges and comments.
--
-- What legitimately differs between two databases is left out or masked:
--   * no OID is printed; objects are named (regclass, regprocedure, ...) or
--     described with pg_describe_object, under search_path = pg_catalog so every
--     name outside pg_catalog is schema-qualified;
--   * a column is numbered by its position among the live columns, not by attnum,
--     so a dropped column leaves no trace while a different column order shows;
--   * atthasmissing / attmissingval (an ADD COLUMN ... DEFAULT in an upgrade) and
--     the order in which pg_extension_config_dump was called are not printed;
--   * a NULL ACL and an explicit ACL equal to the built-in default print the same;
--   * the role owning the extension prints as <extowner>, PUBLIC as PUBLIC; the
--     name of the current database prints as <db>;
--   * the PostgreSQL 15 build on this project's machines stores an option
--     pg_attver=N in the attoptions of every column it creates, with a value that
--     differs between databases (and between two ADD COLUMNs); it is left out;
--   * data (sequence values, rows, statistics) is not part of the footprint.
-- Output settings (datestyle, timezone, ...) are pinned so constants print the same.
-- It is a psql script: it sets search_path and the output format for its session.

SET search_path = pg_catalog;
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET timezone = 'UTC';
SET extra_float_digits = 1;
SET bytea_output = 'hex';
SET jit = off;  -- the query is cheap, but its cost estimate crosses jit_above_cost: JIT would take seconds
\pset format unaligned
\pset tuples_only on
\pset footer off
\pset pager off

WITH
ext AS (
    SELECT e.oid, e.extname, e.extowner, e.extnamespace, e.extrelocatable, e.extversion,
           e.extconfig, e.extcondition
    FROM pg_catalog.pg_extension AS e
    WHERE e.extname = 'creator_platform'
),
-- how a role is printed: the extension's owner is masked, 0 is PUBLIC
role_name AS (
    SELECT r.oid, CASE WHEN r.oid = ext.extowner THEN '<extowner>' ELSE r.rolname::text END AS name
    FROM pg_catalog.pg_roles AS r CROSS JOIN ext
    UNION ALL
    SELECT 0::oid, 'PUBLIC'
),
member AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_catalog.pg_depend AS d JOIN ext ON d.refobjid = ext.oid
    WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
),
-- relations (not indexes, not TOAST) in the extension's schema or among its members
rel AS (
    SELECT c.oid, c.oid::pg_catalog.regclass::text AS name, c.relkind, c.relpersistence, c.relam,
           c.reloptions, c.relreplident, c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
           c.relpartbound, c.relowner, c.relacl, c.reltablespace
    FROM pg_catalog.pg_class AS c CROSS JOIN ext
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c', 'f')
      AND (c.relnamespace = ext.extnamespace
           OR EXISTS (SELECT FROM member AS m
                      WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND m.objid = c.oid))
),
idx AS (
    SELECT i.indexrelid AS oid, r.name AS relname, i.indexrelid::pg_catalog.regclass::text AS name,
           i.indisunique, i.indisprimary, i.indisexclusion, i.indimmediate, i.indisclustered,
           i.indisvalid, i.indisready, i.indisreplident
    FROM pg_catalog.pg_index AS i JOIN rel AS r ON r.oid = i.indrelid
),
-- live columns numbered by position, so dropped columns do not count
col AS (
    SELECT a.attrelid, r.name AS relname, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull,
           a.atthasdef, a.attidentity, a.attgenerated, a.attcollation, a.attstorage, a.attcompression,
           a.attstattarget, a.attoptions, a.attfdwoptions, a.attacl, a.attislocal, a.attinhcount,
           pg_catalog.row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position
    FROM pg_catalog.pg_attribute AS a JOIN rel AS r ON r.oid = a.attrelid
    WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind <> 'S'  -- a sequence's columns are fixed
),
proc AS (
    SELECT p.oid, p.oid::pg_catalog.regprocedure::text AS name, p.prokind, p.prolang, p.prorettype,
           p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proleakproof, p.proconfig,
           p.procost, p.prorows, p.proretset, p.prosupport, p.prosrc, p.probin, p.proowner, p.proacl
    FROM pg_catalog.pg_proc AS p CROSS JOIN ext
    WHERE p.pronamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND m.objid = p.oid)
),
typ AS (
    SELECT t.oid, t.oid::pg_catalog.regtype::text AS name, t.typtype, t.typcategory, t.typispreferred,
           t.typisdefined, t.typdelim, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typrelid,
           t.typelem, t.typarray, t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin,
           t.typmodout, t.typanalyze, t.typsubscript, t.typcollation, t.typnotnull, t.typbasetype,
           t.typtypmod, t.typndims, t.typdefaultbin, t.typowner, t.typacl
    FROM pg_catalog.pg_type AS t CROSS JOIN ext
    WHERE t.typnamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND m.objid = t.oid)
),
con AS (  -- constraints of relations and of domains
    SELECT c.oid, coalesce(r.name, t.name) AS ownername,
           CASE WHEN r.name IS NULL THEN 'type ' ELSE 'relation ' END AS ownerkind,
           c.conname, c.contype, c.condeferrable, c.condeferred, c.convalidated, c.conislocal,
           c.coninhcount, c.connoinherit
    FROM pg_catalog.pg_constraint AS c
    LEFT JOIN rel AS r ON r.oid = c.conrelid AND c.conrelid <> 0
    LEFT JOIN typ AS t ON t.oid = c.contypid AND c.contypid <> 0
    WHERE r.oid IS NOT NULL OR t.oid IS NOT NULL
),
trg AS (
    SELECT tg.oid, r.name AS relname, tg.tgname, tg.tgenabled
    FROM pg_catalog.pg_trigger AS tg JOIN rel AS r ON r.oid = tg.tgrelid
    WHERE NOT tg.tgisinternal
),
pol AS (
    SELECT po.oid, r.name AS relname, po.polrelid, po.polname, po.polcmd, po.polpermissive, po.polroles,
           po.polqual, po.polwithcheck
    FROM pg_catalog.pg_policy AS po JOIN rel AS r ON r.oid = po.polrelid
),
rul AS (
    SELECT ru.oid, r.name AS relname, ru.rulename, ru.ev_enabled
    FROM pg_catalog.pg_rewrite AS ru JOIN rel AS r ON r.oid = ru.ev_class
    WHERE ru.rulename <> '_RETURN'
),
opr AS (
    SELECT o.oid, o.oid::pg_catalog.regoperator::text AS name, o.oprkind, o.oprresult, o.oprcode,
           o.oprcom, o.oprnegate, o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash, o.oprowner
    FROM pg_catalog.pg_operator AS o CROSS JOIN ext
    WHERE o.oprnamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND m.objid = o.oid)
),
opf AS (
    SELECT f.oid, pg_catalog.pg_describe_object('pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid, 0) AS name
    FROM pg_catalog.pg_opfamily AS f CROSS JOIN ext
    WHERE f.opfnamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND m.objid = f.oid)
),
opc AS (
    SELECT c.oid, pg_catalog.pg_describe_object('pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid, 0) AS name,
           c.opcfamily, c.opcintype, c.opcdefault, c.opckeytype
    FROM pg_catalog.pg_opclass AS c CROSS JOIN ext
    WHERE c.opcnamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND m.objid = c.oid)
),
stx AS (
    SELECT s.oid, s.stxname
    FROM pg_catalog.pg_statistic_ext AS s CROSS JOIN ext
    WHERE s.stxnamespace = ext.extnamespace OR s.stxrelid IN (SELECT r.oid FROM rel AS r)
),
coll AS (
    SELECT c.oid, c.oid::pg_catalog.regcollation::text AS name, c.collprovider, c.collisdeterministic,
           c.collencoding, c.collcollate, c.collctype, c.colliculocale
    FROM pg_catalog.pg_collation AS c CROSS JOIN ext
    WHERE c.collnamespace = ext.extnamespace
       OR EXISTS (SELECT FROM member AS m
                  WHERE m.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND m.objid = c.oid)
),
-- every object whose comment, ACL or initial privileges belong to the footprint
obj (classid, objid) AS (
    SELECT m.classid, m.objid FROM member AS m
    UNION SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass, ext.oid FROM ext
    UNION SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, ext.extnamespace FROM ext
    UNION SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, r.oid FROM rel AS r
    UNION SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, i.oid FROM idx AS i
    UNION SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid FROM proc AS p
    UNION SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid FROM typ AS t
    UNION SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, c.oid FROM con AS c
    UNION SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, tg.oid FROM trg AS tg
    UNION SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, po.oid FROM pol AS po
    UNION SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, ru.oid FROM rul AS ru
    UNION SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid FROM opr AS o
    UNION SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid FROM opf AS f
    UNION SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid FROM opc AS c
    UNION SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, s.oid FROM stx AS s
    UNION SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, c.oid FROM coll AS c
),
-- ACLs, a NULL ACL replaced by the built-in default of the object's kind
acl_src (classid, objid, objsubid, acl) AS (
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, r.oid, 0,
           coalesce(r.relacl, acldefault(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", r.relowner))
    FROM rel AS r
    UNION ALL
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.attrelid, c.attnum::integer, c.attacl
    FROM col AS c WHERE c.attacl IS NOT NULL
    UNION ALL
    SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 0, coalesce(p.proacl, acldefault('f', p.proowner))
    FROM proc AS p
    UNION ALL
    SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0, coalesce(t.typacl, acldefault('T', t.typowner))
    FROM typ AS t
    UNION ALL
    SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, n.oid, 0, coalesce(n.nspacl, acldefault('n', n.nspowner))
    FROM pg_catalog.pg_namespace AS n JOIN ext ON n.oid = ext.extnamespace
    UNION ALL
    SELECT 'pg_catalog.pg_language'::pg_catalog.regclass, l.oid, 0, coalesce(l.lanacl, acldefault('l', l.lanowner))
    FROM pg_catalog.pg_language AS l JOIN member AS m
      ON m.classid = 'pg_catalog.pg_language'::pg_catalog.regclass AND m.objid = l.oid
),
-- one line per (object, grantee, grantor): the sorted privileges, * = grant option
acl_fact AS (
    SELECT pg_catalog.pg_describe_object(s.classid, s.objid, s.objsubid) AS what, ge.name AS grantee,
           gr.name AS grantor,
           pg_catalog.string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END, ','
                                 ORDER BY x.privilege_type) AS privs
    FROM acl_src AS s
    CROSS JOIN LATERAL aclexplode(s.acl) AS x
    JOIN role_name AS ge ON ge.oid = x.grantee
    JOIN role_name AS gr ON gr.oid = x.grantor
    GROUP BY 1, 2, 3
),
init_fact AS (
    SELECT pg_catalog.pg_describe_object(ip.classoid, ip.objoid, ip.objsubid) AS what, ip.privtype,
           ge.name AS grantee, gr.name AS grantor,
           pg_catalog.string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END, ','
                                 ORDER BY x.privilege_type) AS privs
    FROM pg_catalog.pg_init_privs AS ip
    JOIN obj AS o ON o.classid = ip.classoid AND o.objid = ip.objoid
    CROSS JOIN LATERAL aclexplode(ip.initprivs) AS x
    JOIN role_name AS ge ON ge.oid = x.grantee
    JOIN role_name AS gr ON gr.oid = x.grantor
    GROUP BY 1, 2, 3, 4
),
fact (line) AS (
    -- the extension ---------------------------------------------------------
    SELECT 'extension creator_platform: not installed'
    WHERE NOT EXISTS (SELECT FROM ext)
    UNION ALL
    SELECT pg_catalog.format('extension %s: version=%s relocatable=%s schema=%s owner=%s',
                             ext.extname, ext.extversion, ext.extrelocatable,
                             pg_catalog.quote_ident(n.nspname), o.name)
    FROM ext
    JOIN pg_catalog.pg_namespace AS n ON n.oid = ext.extnamespace
    JOIN role_name AS o ON o.oid = ext.extowner
    UNION ALL
    SELECT pg_catalog.format('extension %s requires: %s', ext.extname, e2.extname)
    FROM ext
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.objid = ext.oid
     AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'n'
    JOIN pg_catalog.pg_extension AS e2 ON e2.oid = d.refobjid
    UNION ALL
    -- pg_extension_config_dump: the table and its filter, in name order
    SELECT pg_catalog.format('extension %s config dump: %s condition=%L', ext.extname,
                             cfg.relid::pg_catalog.regclass, ext.extcondition[cfg.n])
    FROM ext
    CROSS JOIN LATERAL pg_catalog.unnest(ext.extconfig) WITH ORDINALITY AS cfg (relid, n)
    UNION ALL
    SELECT 'member: ' || pg_catalog.pg_describe_object(m.classid, m.objid, m.objsubid)
    FROM member AS m
    UNION ALL
    SELECT pg_catalog.format('schema %s: owner=%s', pg_catalog.quote_ident(n.nspname), o.name)
    FROM ext
    JOIN pg_catalog.pg_namespace AS n ON n.oid = ext.extnamespace
    JOIN role_name AS o ON o.oid = n.nspowner
    UNION ALL
    SELECT pg_catalog.format('default privileges in schema %s for %s on %s: %s',
                             pg_catalog.quote_ident(n.nspname), ro.name, da.defaclobjtype,
                             pg_catalog.array_to_string(da.defaclacl, ','))
    FROM ext
    JOIN pg_catalog.pg_default_acl AS da ON da.defaclnamespace = ext.extnamespace
    JOIN pg_catalog.pg_namespace AS n ON n.oid = da.defaclnamespace
    JOIN role_name AS ro ON ro.oid = da.defaclrole
    UNION ALL
    -- privileges and comments of everything above and below ----------------
    SELECT pg_catalog.format('acl %s: %s=%s by %s', a.what, a.grantee, a.privs, a.grantor)
    FROM acl_fact AS a
    UNION ALL
    SELECT pg_catalog.format('initial privileges (%s) %s: %s=%s by %s', i.privtype, i.what, i.grantee,
                             i.privs, i.grantor)
    FROM init_fact AS i
    UNION ALL
    SELECT pg_catalog.format('comment %s: %s', pg_catalog.pg_describe_object(ds.classoid, ds.objoid, ds.objsubid),
                             ds.description)
    FROM pg_catalog.pg_description AS ds
    JOIN obj AS o ON o.classid = ds.classoid AND o.objid = ds.objoid
    UNION ALL
    -- functions and procedures -----------------------------------------------
    SELECT pg_catalog.format(
               'function %s: kind=%s returns=%s%s language=%s volatility=%s strict=%s parallel=%s '
               'security_definer=%s leakproof=%s cost=%s rows=%s config=%s support=%s owner=%s',
               p.name, p.prokind,
               CASE WHEN p.proretset THEN 'setof ' ELSE '' END, p.prorettype::pg_catalog.regtype,
               l.lanname, p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proleakproof,
               p.procost, p.prorows, coalesce(pg_catalog.array_to_string(p.proconfig, ','), '-'),
               p.prosupport::pg_catalog.regproc, o.name)
    FROM proc AS p
    JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
    JOIN role_name AS o ON o.oid = p.proowner
    UNION ALL
    SELECT pg_catalog.format('function %s: source=%L binary=%L', p.name, p.prosrc, p.probin)
    FROM proc AS p
    UNION ALL
    -- the full definition, line by line (not for aggregates: see below)
    SELECT pg_catalog.format('function %s definition %s: %s', p.name,
                             pg_catalog.lpad(d.n::text, 4, '0'), d.line)
    FROM proc AS p
    CROSS JOIN LATERAL pg_catalog.regexp_split_to_table(
        pg_catalog.rtrim(CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END, E'\n'),
        E'\n') WITH ORDINALITY AS d (line, n)
    WHERE p.prokind <> 'a'
    UNION ALL
    SELECT pg_catalog.format(
               'function %s aggregate: kind=%s transfn=%s finalfn=%s combinefn=%s serialfn=%s deserialfn=%s '
               'mtransfn=%s minvtransfn=%s mfinalfn=%s finalextra=%s mfinalextra=%s finalmodify=%s '
               'mfinalmodify=%s sortop=%s transtype=%s transspace=%s mtranstype=%s mtransspace=%s '
               'initval=%L minitval=%L numdirectargs=%s',
               p.name, ag.aggkind, ag.aggtransfn, ag.aggfinalfn, ag.aggcombinefn, ag.aggserialfn,
               ag.aggdeserialfn, ag.aggmtransfn, ag.aggminvtransfn, ag.aggmfinalfn, ag.aggfinalextra,
               ag.aggmfinalextra, ag.aggfinalmodify, ag.aggmfinalmodify,
               ag.aggsortop::pg_catalog.regoperator, ag.aggtranstype::pg_catalog.regtype, ag.aggtransspace,
               ag.aggmtranstype::pg_catalog.regtype, ag.aggmtransspace, ag.agginitval, ag.aggminitval,
               ag.aggnumdirectargs)
    FROM proc AS p JOIN pg_catalog.pg_aggregate AS ag ON ag.aggfnoid = p.oid
    UNION ALL
    -- relations -----------------------------------------------------------------
    SELECT pg_catalog.format(
               'relation %s: kind=%s persistence=%s access_method=%s tablespace=%s options=%s '
               'replica_identity=%s row_security=%s force_row_security=%s partition_key=%s '
               'partition_bound=%s owner=%s',
               r.name, r.relkind, r.relpersistence, coalesce(am.amname::text, '-'),
               coalesce(ts.spcname::text, 'default'),
               coalesce((SELECT pg_catalog.string_agg(x, ',' ORDER BY x COLLATE "C")
                         FROM pg_catalog.unnest(r.reloptions) AS x), '-'),
               r.relreplident, r.relrowsecurity, r.relforcerowsecurity,
               coalesce(CASE WHEN r.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(r.oid) END, '-'),
               coalesce(pg_catalog.pg_get_expr(r.relpartbound, r.oid), '-'), o.name)
    FROM rel AS r
    LEFT JOIN pg_catalog.pg_am AS am ON am.oid = r.relam
    LEFT JOIN pg_catalog.pg_tablespace AS ts ON ts.oid = r.reltablespace
    JOIN role_name AS o ON o.oid = r.relowner
    UNION ALL
    SELECT pg_catalog.format('relation %s inherits %s: %s', r.name, inh.inhparent::pg_catalog.regclass,
                             inh.inhseqno)
    FROM rel AS r JOIN pg_catalog.pg_inherits AS inh ON inh.inhrelid = r.oid
    UNION ALL
    SELECT pg_catalog.format(
               'relation %s column %s %s: type=%s not_null=%s default=%s identity=%s generated=%s '
               'collation=%s storage=%s compression=%s statistics=%s options=%s fdw_options=%s '
               'local=%s inherited=%s',
               c.relname, pg_catalog.lpad(c.position::text, 3, '0'), pg_catalog.quote_ident(c.attname),
               pg_catalog.format_type(c.atttypid, c.atttypmod), c.attnotnull,
               CASE WHEN c.attgenerated = '' THEN coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '-')
                    ELSE '-' END,
               CASE c.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by_default' ELSE '-' END,
               CASE WHEN c.attgenerated = '' THEN '-'
                    ELSE c.attgenerated::text || ' ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
               CASE WHEN c.attcollation = 0 THEN '-' ELSE c.attcollation::pg_catalog.regcollation::text END,
               c.attstorage, CASE WHEN c.attcompression = '' THEN '-' ELSE c.attcompression::text END,
               c.attstattarget,
               coalesce((SELECT pg_catalog.string_agg(x, ',' ORDER BY x COLLATE "C")
                         FROM pg_catalog.unnest(c.attoptions) AS x
                         WHERE x NOT LIKE 'pg\_attver=%'), '-'),
               coalesce(pg_catalog.array_to_string(c.attfdwoptions, ','), '-'), c.attislocal, c.attinhcount)
    FROM col AS c
    LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = c.attrelid AND ad.adnum = c.attnum
    UNION ALL
    SELECT pg_catalog.format(
               '%s%s constraint %s: type=%s deferrable=%s deferred=%s validated=%s local=%s inherited=%s '
               'no_inherit=%s definition=%s',
               c.ownerkind, c.ownername, pg_catalog.quote_ident(c.conname), c.contype, c.condeferrable,
               c.condeferred, c.convalidated, c.conislocal, c.coninhcount, c.connoinherit,
               pg_catalog.pg_get_constraintdef(c.oid))
    FROM con AS c
    UNION ALL
    SELECT pg_catalog.format(
               'relation %s index %s: %s | unique=%s primary=%s exclusion=%s immediate=%s clustered=%s '
               'valid=%s ready=%s replica_identity=%s',
               i.relname, i.name, pg_catalog.pg_get_indexdef(i.oid), i.indisunique, i.indisprimary,
               i.indisexclusion, i.indimmediate, i.indisclustered, i.indisvalid, i.indisready, i.indisreplident)
    FROM idx AS i
    UNION ALL
    SELECT pg_catalog.format('relation %s trigger %s: enabled=%s %s', t.relname, pg_catalog.quote_ident(t.tgname),
                             t.tgenabled, pg_catalog.pg_get_triggerdef(t.oid))
    FROM trg AS t
    UNION ALL
    SELECT pg_catalog.format('relation %s rule %s: enabled=%s %s', ru.relname, pg_catalog.quote_ident(ru.rulename),
                             ru.ev_enabled, pg_catalog.pg_get_ruledef(ru.oid))
    FROM rul AS ru
    UNION ALL
    SELECT pg_catalog.format('relation %s policy %s: command=%s permissive=%s roles=%s using=%s with_check=%s',
                             po.relname, pg_catalog.quote_ident(po.polname), po.polcmd, po.polpermissive,
                             (SELECT pg_catalog.string_agg(rn.name, ',' ORDER BY rn.name COLLATE "C")
                              FROM pg_catalog.unnest(po.polroles) AS pr (roleid)
                              JOIN role_name AS rn ON rn.oid = pr.roleid),
                             coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), '-'),
                             coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), '-'))
    FROM pol AS po
    UNION ALL
    -- view and materialized view definitions, line by line
    SELECT pg_catalog.format('relation %s definition %s: %s', r.name, pg_catalog.lpad(d.n::text, 4, '0'), d.line)
    FROM rel AS r
    CROSS JOIN LATERAL pg_catalog.regexp_split_to_table(
        CASE WHEN r.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(r.oid, true) END, E'\n')
        WITH ORDINALITY AS d (line, n)
    WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT pg_catalog.format('relation %s sequence: type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s',
                             r.name, s.seqtypid::pg_catalog.regtype, s.seqstart, s.seqincrement, s.seqmin,
                             s.seqmax, s.seqcache, s.seqcycle)
    FROM rel AS r JOIN pg_catalog.pg_sequence AS s ON s.seqrelid = r.oid
    UNION ALL
    -- OWNED BY (deptype a) or identity (deptype i)
    SELECT pg_catalog.format('relation %s sequence owned by: %s.%s (%s)', r.name,
                             d.refobjid::pg_catalog.regclass, pg_catalog.quote_ident(a.attname), d.deptype)
    FROM rel AS r
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = r.oid
     AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
    JOIN pg_catalog.pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE r.relkind = 'S'
    UNION ALL
    SELECT pg_catalog.format('relation %s foreign: server=%s options=%s', r.name, srv.srvname,
                             coalesce(pg_catalog.array_to_string(ft.ftoptions, ','), '-'))
    FROM rel AS r
    JOIN pg_catalog.pg_foreign_table AS ft ON ft.ftrelid = r.oid
    JOIN pg_catalog.pg_foreign_server AS srv ON srv.oid = ft.ftserver
    UNION ALL
    SELECT pg_catalog.format('statistics %s: %s statistics=%s', s.stxname,
                             pg_catalog.pg_get_statisticsobjdef(s.oid), st.stxstattarget)
    FROM stx AS s JOIN pg_catalog.pg_statistic_ext AS st ON st.oid = s.oid
    UNION ALL
    SELECT pg_catalog.format('publication %s: %s where=%s columns=%s', pub.pubname, pr.prrelid::pg_catalog.regclass,
                             coalesce(pg_catalog.pg_get_expr(pr.prqual, pr.prrelid), '-'),
                             coalesce(pr.prattrs::text, '-'))
    FROM pg_catalog.pg_publication_rel AS pr
    JOIN rel AS r ON r.oid = pr.prrelid
    JOIN pg_catalog.pg_publication AS pub ON pub.oid = pr.prpubid
    UNION ALL
    SELECT pg_catalog.format('publication %s: tables in schema %s', pub.pubname, pg_catalog.quote_ident(n.nspname))
    FROM ext
    JOIN pg_catalog.pg_publication_namespace AS pn ON pn.pnnspid = ext.extnamespace
    JOIN pg_catalog.pg_publication AS pub ON pub.oid = pn.pnpubid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = pn.pnnspid
    UNION ALL
    -- types -------------------------------------------------------------------
    SELECT pg_catalog.format(
               'type %s: type=%s category=%s preferred=%s defined=%s delimiter=%s length=%s by_value=%s '
               'align=%s storage=%s relation=%s element=%s array=%s input=%s output=%s receive=%s send=%s '
               'typmod_in=%s typmod_out=%s analyze=%s subscript=%s collation=%s not_null=%s base=%s '
               'dimensions=%s default=%s owner=%s',
               t.name, t.typtype, t.typcategory, t.typispreferred, t.typisdefined, t.typdelim, t.typlen,
               t.typbyval, t.typalign, t.typstorage, t.typrelid::pg_catalog.regclass,
               t.typelem::pg_catalog.regtype, t.typarray::pg_catalog.regtype, t.typinput, t.typoutput,
               t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze, t.typsubscript,
               CASE WHEN t.typcollation = 0 THEN '-' ELSE t.typcollation::pg_catalog.regcollation::text END,
               t.typnotnull,
               CASE WHEN t.typbasetype = 0 THEN '-' ELSE pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
               t.typndims, coalesce(pg_catalog.pg_get_expr(t.typdefaultbin, 0), '-'), o.name)
    FROM typ AS t JOIN role_name AS o ON o.oid = t.typowner
    UNION ALL
    -- enum labels by position in the sort order (the float sort keys may differ)
    SELECT pg_catalog.format('type %s label %s: %s', t.name,
                             pg_catalog.lpad((pg_catalog.row_number() OVER (PARTITION BY e.enumtypid
                                                                            ORDER BY e.enumsortorder))::text, 3, '0'),
                             pg_catalog.quote_literal(e.enumlabel))
    FROM typ AS t JOIN pg_catalog.pg_enum AS e ON e.enumtypid = t.oid
    UNION ALL
    SELECT pg_catalog.format('type %s range: subtype=%s multirange=%s collation=%s opclass=%s canonical=%s subdiff=%s',
                             t.name, rg.rngsubtype::pg_catalog.regtype, rg.rngmultitypid::pg_catalog.regtype,
                             CASE WHEN rg.rngcollation = 0 THEN '-'
                                  ELSE rg.rngcollation::pg_catalog.regcollation::text END,
                             pg_catalog.pg_describe_object('pg_catalog.pg_opclass'::pg_catalog.regclass,
                                                           rg.rngsubopc, 0),
                             rg.rngcanonical, rg.rngsubdiff)
    FROM typ AS t JOIN pg_catalog.pg_range AS rg ON rg.rngtypid = t.oid
    UNION ALL
    -- operators, operator classes and families, casts, collations, event triggers
    SELECT pg_catalog.format('operator %s: kind=%s result=%s function=%s commutator=%s negator=%s restrict=%s '
                             'join=%s merges=%s hashes=%s owner=%s',
                             o.name, o.oprkind, o.oprresult::pg_catalog.regtype, o.oprcode,
                             o.oprcom::pg_catalog.regoperator, o.oprnegate::pg_catalog.regoperator,
                             o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash, rn.name)
    FROM opr AS o JOIN role_name AS rn ON rn.oid = o.oprowner
    UNION ALL
    SELECT pg_catalog.format('%s: family=%s input=%s default=%s key=%s', c.name,
                             pg_catalog.pg_describe_object('pg_catalog.pg_opfamily'::pg_catalog.regclass,
                                                           c.opcfamily, 0),
                             c.opcintype::pg_catalog.regtype, c.opcdefault, c.opckeytype::pg_catalog.regtype)
    FROM opc AS c
    UNION ALL
    SELECT pg_catalog.format('%s member: %s', f.name,
                             pg_catalog.pg_describe_object('pg_catalog.pg_amop'::pg_catalog.regclass, ao.oid, 0))
    FROM opf AS f JOIN pg_catalog.pg_amop AS ao ON ao.amopfamily = f.oid
    UNION ALL
    SELECT pg_catalog.format('%s member: %s', f.name,
                             pg_catalog.pg_describe_object('pg_catalog.pg_amproc'::pg_catalog.regclass, ap.oid, 0))
    FROM opf AS f JOIN pg_catalog.pg_amproc AS ap ON ap.amprocfamily = f.oid
    UNION ALL
    SELECT pg_catalog.format('cast (%s AS %s): function=%s context=%s method=%s',
                             ca.castsource::pg_catalog.regtype, ca.casttarget::pg_catalog.regtype,
                             ca.castfunc::pg_catalog.regprocedure, ca.castcontext, ca.castmethod)
    FROM member AS m JOIN pg_catalog.pg_cast AS ca ON ca.oid = m.objid
    WHERE m.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
    UNION ALL
    SELECT pg_catalog.format('collation %s: provider=%s deterministic=%s encoding=%s collate=%s ctype=%s icu_locale=%s',
                             c.name, c.collprovider, c.collisdeterministic, c.collencoding, c.collcollate,
                             c.collctype, c.colliculocale)
    FROM coll AS c
    UNION ALL
    SELECT pg_catalog.format('event trigger %s: event=%s function=%s enabled=%s tags=%s owner=%s',
                             pg_catalog.quote_ident(et.evtname), et.evtevent, et.evtfoid::pg_catalog.regprocedure,
                             et.evtenabled, coalesce(pg_catalog.array_to_string(et.evttags, ','), '-'), rn.name)
    FROM member AS m
    JOIN pg_catalog.pg_event_trigger AS et ON et.oid = m.objid
    JOIN role_name AS rn ON rn.oid = et.evtowner
    WHERE m.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
)
-- one fact per line: newlines escaped, the database name masked, sorted bytewise
SELECT pg_catalog.regexp_replace(
           pg_catalog.replace(pg_catalog.replace(f.line, E'\r', '\r'), E'\n', '\n'),
           '(^|[^[:alnum:]_])'
               || pg_catalog.regexp_replace(pg_catalog.current_database(), '([^[:alnum:]_])', '\\\1', 'g')
               || '($|[^[:alnum:]_])',
           '\1<db>\2', 'g') COLLATE "C" AS footprint
FROM fact AS f
ORDER BY footprint;
