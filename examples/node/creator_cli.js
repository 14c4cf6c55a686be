#!/usr/bin/env node
// A small command-line client for creator_platform, written with pg (node-postgres).
//
// Every call goes through the extension's tables and functions as API.md states
// them, with parameterised queries only ($1, $2, ...). Connection settings come
// from the standard PG* environment variables (PGHOST, PGPORT, PGUSER,
// PGDATABASE, PGPASSWORD) or from DATABASE_URL when it is set.
//
//   node creator_cli.js signup --email ada@example.com --username ada --creator
//   node creator_cli.js publish --creator ID --title Hello --content "First post"
//   node creator_cli.js subscribe --reader ID --creator ID
//   node creator_cli.js feed --reader ID --page-size 2
//   node creator_cli.js comment --post ID --user ID --text "Nice" [--reply-to ID]
//   node creator_cli.js thread --post ID
//   node creator_cli.js claim-events --batch 10
//   node creator_cli.js scenario            # the whole story, printed
//
// Works through pgbouncer in transaction pooling mode: one statement per
// transaction unless BEGIN/COMMIT groups them, every name schema-qualified (no
// session search_path), and only unnamed prepared statements (pg's default
// when a query has no `name`).
'use strict';

const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const { Client } = require('pg');

const S = 'creator_platform'; // the extension's schema; every name below is qualified

// SQLSTATE -> what to tell a person (API.md, "Rules and the SQLSTATE each violation raises")
const FRIENDLY = {
  '23505': 'already exists',
  '23514': 'rejected: a value has the wrong shape or breaks a rule',
  '55000': 'not allowed in the current state',
  '22023': 'bad argument',
  '54000': 'too deep',
  '42501': 'permission denied (was grant_usage called for this role?)',
};

// Turn a database error into one line for a person, keyed by SQLSTATE.
function friendly(err) {
  if (err.code === '23505') {
    // which unique index fired tells us what is taken
    const what = {
      users_username_lower_key: 'that username is already taken',
      users_email_lower_key: 'that email is already registered',
    }[err.constraint] || 'a row like this already exists';
    return `duplicate (23505): ${what}`;
  }
  const label = FRIENDLY[err.code];
  if (label === undefined) return `database error ${err.code}: ${err.message}`;
  return `${label} (${err.code}): ${err.message}`;
}

// A database error carries a five-character SQLSTATE in err.code; a socket error does not.
const isSqlError = (err) => typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && 'severity' in err;

async function connect() {
  // with no connectionString, pg reads PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD
  const client = new Client(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {});
  await client.connect();
  return client;
}

async function inTransaction(client, fn) {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

// -- the calls ------------------------------------------------------------------------------

async function signup(client, email, username, creator = false) {
  const { rows } = await client.query(
    `INSERT INTO ${S}.users (email, username, role) VALUES ($1, $2, $3) RETURNING id`,
    [email, username, creator ? 'creator' : 'reader']);
  return rows[0].id;
}

// Write a draft, then publish it with publish_post (one transaction).
async function publish(client, creatorId, title, content, { subscribersOnly = false, draft = false } = {}) {
  return inTransaction(client, async () => {
    const { rows } = await client.query(
      `INSERT INTO ${S}.posts (creator_id, title, content, visibility) VALUES ($1, $2, $3, $4) RETURNING id`,
      [creatorId, title, content, subscribersOnly ? 'subscribers' : 'public']);
    if (!draft) await client.query(`SELECT id FROM ${S}.publish_post($1)`, [rows[0].id]);
    return rows[0].id;
  });
}

async function subscribe(client, readerId, creatorId) {
  const { rows } = await client.query(`SELECT id, status FROM ${S}.subscribe($1, $2)`, [readerId, creatorId]);
  return rows[0];
}

async function unsubscribe(client, readerId, creatorId) {
  const { rows } = await client.query(`SELECT id, status FROM ${S}.cancel_subscription($1, $2)`, [readerId, creatorId]);
  return rows[0];
}

// Yield home_feed pages, following the last row's cursor until a page is short.
async function* homeFeedPages(client, readerId, pageSize) {
  let after = null;
  for (;;) {
    const { rows } = await client.query(
      `SELECT post_id, creator_username, title, content, locked, published_at, comment_count, cursor
         FROM ${S}.home_feed($1, $2, $3)`, [readerId, pageSize, after]);
    yield rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].cursor;
  }
}

async function addComment(client, postId, userId, text, replyTo = null) {
  const { rows } = await client.query(
    `SELECT id, depth FROM ${S}.add_comment($1, $2, $3, $4)`, [postId, userId, text, replyTo]);
  return rows[0].id;
}

async function* threadRows(client, postId, pageSize = 50) {
  let after = null;
  for (;;) {
    const { rows } = await client.query(
      `SELECT comment_id, parent_comment_id, username, content, depth, reply_count, deleted, cursor
         FROM ${S}.comment_thread($1, $2, $3)`, [postId, pageSize, after]);
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].cursor;
  }
}

// Claim a batch and handle it in the same transaction: if handle() throws, the
// transaction rolls back and the events stay unprocessed (at-least-once).
async function claimEvents(client, batch, handle) {
  return inTransaction(client, async () => {
    const { rows } = await client.query(
      `SELECT id, kind, payload, created_at FROM ${S}.claim_events($1)`, [batch]);
    for (const row of rows) await handle(row);
    return rows.length;
  });
}

// -- printing -------------------------------------------------------------------------------

const stamp = (d) => d.toISOString().replace('T', ' ').slice(0, 19);
const sortedJson = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).sort()));

async function printFeed(client, readerId, pageSize) {
  let total = 0;
  let n = 0;
  for await (const rows of homeFeedPages(client, readerId, pageSize)) {
    console.log(`page ${++n}: ${rows.length} rows`);
    for (const r of rows) {
      const body = r.locked ? '[subscribers only]' : r.content;
      console.log(`  post ${r.post_id}  ${stamp(r.published_at)}  @${r.creator_username}  '${r.title}': ${body}  (${r.comment_count} comments)`);
    }
    total += rows.length;
  }
  console.log(`feed: ${total} posts`);
}

async function printThread(client, postId) {
  for await (const c of threadRows(client, postId)) {
    const text = c.deleted ? '[deleted]' : c.content;
    console.log(`  ${'  '.repeat(c.depth)}comment ${c.comment_id} @${c.username}: ${text}  (${c.reply_count} replies)`);
  }
}

function printEvent(e) {
  console.log(`  event ${e.id} ${e.kind} ${sortedJson(e.payload)}`); // id is a bigint: pg gives it as a string
}

// -- the story ------------------------------------------------------------------------------

async function scenario(client, tag, pageSize) {
  const name = (who) => `${who}_${tag}`;
  const tryIt = async (label, fn) => {
    try {
      await fn();
      console.log(`  ${label}unexpected: accepted`);
    } catch (err) {
      if (!isSqlError(err)) throw err;
      console.log(`  ${label}error: ${friendly(err)}`);
    }
  };

  console.log(`== sign up (tag ${tag})`);
  const ids = {};
  for (const [who, creator] of [['alice', true], ['bob', true], ['carol', true], ['reader', false]]) {
    ids[who] = await signup(client, `${name(who)}@example.com`, name(who), creator);
    console.log(`  ${creator ? 'creator' : 'reader '} @${name(who)} ${ids[who]}`);
  }

  console.log('== a second signup with a taken username (any case) is refused');
  await tryIt('', () => signup(client, `other_${tag}@example.com`, name('ALICE')));
  console.log('== a username of the wrong shape is refused');
  await tryIt('', () => signup(client, `bad_${tag}@example.com`, 'no spaces allowed'));

  console.log('== publish');
  const posts = { alice: [], bob: [], carol: [] };
  for (let i = 1; i <= 4; i++) {
    for (const [who, count] of [['alice', 4], ['bob', 3], ['carol', 2]]) {
      if (i > count) continue;
      const members = who === 'alice' && i === 2;
      const id = await publish(client, ids[who], `${who} post ${i}`, `${who} writes, part ${i}`, { subscribersOnly: members });
      posts[who].push(id);
      console.log(`  published ${id} by @${name(who)}${members ? ' (subscribers only)' : ''}`);
    }
  }
  const draft = await publish(client, ids.alice, 'alice draft', 'not yet', { draft: true });
  console.log(`  draft ${draft} by @${name('alice')} (stays out of every feed)`);

  console.log('== subscribe');
  for (const who of ['alice', 'bob', 'carol']) {
    const s = await subscribe(client, ids.reader, ids[who]);
    console.log(`  @${name('reader')} -> @${name(who)}: ${s.status} ${s.id}`);
  }
  const cancelled = await unsubscribe(client, ids.reader, ids.carol);
  console.log(`  @${name('reader')} -> @${name('carol')}: ${cancelled.status} ${cancelled.id}`);

  console.log(`== home feed of @${name('reader')}, ${pageSize} per page`);
  await printFeed(client, ids.reader, pageSize);
  console.log('== a page size out of range is refused');
  await tryIt('', () => homeFeedPages(client, ids.reader, 0).next());

  console.log('== comment');
  const post = posts.alice[0];
  const top = await addComment(client, post, ids.reader, 'Great first post!');
  const reply = await addComment(client, post, ids.alice, 'Thank you!', top);
  console.log(`  comment ${top} and reply ${reply} on ${post}`);
  await tryIt('commenting on a draft: ', () => addComment(client, draft, ids.reader, 'early bird'));
  console.log(`== thread of ${post}`);
  await printThread(client, post);

  console.log('== claim events');
  const mine = new Set(Object.values(ids));
  let others = 0;
  let claimed = 0;
  for (;;) {
    const n = await claimEvents(client, 100, (e) => {
      if (Object.values(e.payload).some((v) => mine.has(v))) printEvent(e);
      else others++; // activity that is not this story's (e.g. make demo's data)
    });
    claimed += n;
    if (n < 100) break;
  }
  console.log(`claimed ${claimed} events (${others} from other activity)`);
  console.log('== done');
}

// -- the command line -----------------------------------------------------------------------

const USAGE = `usage: creator_cli.js COMMAND [options]
  signup --email E --username U [--creator]
  publish --creator ID --title T [--content C] [--subscribers-only] [--draft]
  subscribe --reader ID --creator ID
  unsubscribe --reader ID --creator ID
  feed --reader ID [--page-size N]
  comment --post ID --user ID --text T [--reply-to ID]
  thread --post ID
  claim-events [--batch N]
  scenario [--tag T] [--page-size N]`;

const OPTIONS = {
  email: { type: 'string' }, username: { type: 'string' }, creator: { type: 'string' },
  title: { type: 'string' }, content: { type: 'string', default: '' },
  'subscribers-only': { type: 'boolean', default: false }, draft: { type: 'boolean', default: false },
  reader: { type: 'string' }, 'page-size': { type: 'string' }, post: { type: 'string' },
  user: { type: 'string' }, text: { type: 'string' }, 'reply-to': { type: 'string' },
  batch: { type: 'string', default: '100' }, tag: { type: 'string' }, help: { type: 'boolean', short: 'h' },
};
const REQUIRED = {
  signup: ['email', 'username'], publish: ['creator', 'title'], subscribe: ['reader', 'creator'],
  unsubscribe: ['reader', 'creator'], feed: ['reader'], comment: ['post', 'user', 'text'],
  thread: ['post'], 'claim-events': [], scenario: [],
};

function parse(argv) {
  const [cmd, ...rest] = argv;
  if (!(cmd in REQUIRED)) throw new Error(cmd ? `unknown command ${cmd}` : 'a command is needed');
  // --creator is a flag for signup and an id elsewhere
  const options = cmd === 'signup' ? { ...OPTIONS, creator: { type: 'boolean', default: false } } : OPTIONS;
  const { values } = parseArgs({ args: rest, options, strict: true });
  for (const k of REQUIRED[cmd]) if (values[k] === undefined) throw new Error(`${cmd} needs --${k}`);
  const int = (k, dflt) => {
    if (values[k] === undefined) return dflt;
    const n = Number(values[k]);
    if (!Number.isInteger(n)) throw new Error(`--${k} must be an integer`);
    return n;
  };
  return { cmd, v: values, pageSize: int('page-size', cmd === 'scenario' ? 2 : 20), batch: int('batch', 100) };
}

async function main(argv) {
  let a;
  try {
    a = parse(argv);
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  let client;
  try {
    client = await connect();
  } catch (err) {
    console.error(`error: cannot talk to the database: ${err.message}`);
    return 2;
  }
  const v = a.v;
  try {
    switch (a.cmd) {
      case 'signup': console.log(`user ${await signup(client, v.email, v.username, v.creator)}`); break;
      case 'publish':
        console.log(`post ${await publish(client, v.creator, v.title, v.content,
          { subscribersOnly: v['subscribers-only'], draft: v.draft })}`);
        break;
      case 'subscribe': { const s = await subscribe(client, v.reader, v.creator); console.log(`subscription ${s.id} ${s.status}`); break; }
      case 'unsubscribe': {
        const s = await unsubscribe(client, v.reader, v.creator);
        console.log(s.id === null ? 'nothing was active' : `subscription ${s.id} ${s.status}`);
        break;
      }
      case 'feed': await printFeed(client, v.reader, a.pageSize); break;
      case 'comment': console.log(`comment ${await addComment(client, v.post, v.user, v.text, v['reply-to'] ?? null)}`); break;
      case 'thread': await printThread(client, v.post); break;
      case 'claim-events': console.log(`claimed ${await claimEvents(client, a.batch, printEvent)} events`); break;
      case 'scenario': await scenario(client, v.tag ?? crypto.randomBytes(3).toString('hex'), a.pageSize); break;
    }
    return 0;
  } catch (err) {
    if (!isSqlError(err)) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    console.error(`error: ${friendly(err)}`);
    return 1;
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
