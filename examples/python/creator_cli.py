#!/usr/bin/env python3
"""A small command-line client for creator_platform, written with psycopg 3.

Every call goes through the extension's tables and functions as API.md states
them, with parameterised queries only. Connection settings come from the
standard PG* environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE, ...)
or from DATABASE_URL when it is set.

    creator_cli.py signup --email ada@example.com --username ada --creator
    creator_cli.py publish --creator ID --title Hello --content "First post"
    creator_cli.py subscribe --reader ID --creator ID
    creator_cli.py feed --reader ID --page-size 2
    creator_cli.py comment --post ID --user ID --text "Nice" [--reply-to ID]
    creator_cli.py thread --post ID
    creator_cli.py claim-events --batch 10
    creator_cli.py scenario            # the whole story, printed

Works through pgbouncer in transaction pooling mode: autocommit, explicit
transactions where several statements belong together, every name
schema-qualified (no session search_path), and no server-side prepared
statements (prepare_threshold=None).
"""
import argparse
import json
import os
import secrets
import sys
from datetime import timezone

import psycopg

S = "creator_platform"  # the extension's schema; every name below is qualified

# SQLSTATE -> what to tell a person (API.md, "Rules and the SQLSTATE each violation raises")
FRIENDLY = {
    "23505": "already exists",
    "23514": "rejected: a value has the wrong shape or breaks a rule",
    "55000": "not allowed in the current state",
    "22023": "bad argument",
    "54000": "too deep",
    "42501": "permission denied (was grant_usage called for this role?)",
}


class AppError(Exception):
    """An error the user can act on; the CLI prints it and exits with status 1."""


def friendly(err: psycopg.Error) -> str:
    """Turn a database error into one line for a person, keyed by SQLSTATE."""
    state = err.sqlstate or "?"
    diag = err.diag
    if state == "23505":
        # which unique index fired tells us what is taken
        what = {
            "users_username_lower_key": "that username is already taken",
            "users_email_lower_key": "that email is already registered",
        }.get(diag.constraint_name or "", "a row like this already exists")
        return f"duplicate (23505): {what}"
    label = FRIENDLY.get(state)
    if label is None:
        return f"database error {state}: {diag.message_primary}"
    return f"{label} ({state}): {diag.message_primary}"


def connect() -> psycopg.Connection:
    # "" means: libpq reads PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ...
    return psycopg.connect(os.environ.get("DATABASE_URL", ""), autocommit=True, prepare_threshold=None)


# -- the calls ----------------------------------------------------------------------------

def signup(conn, email, username, creator=False):
    row = conn.execute(
        f"INSERT INTO {S}.users (email, username, role) VALUES (%s, %s, %s) RETURNING id",
        (email, username, "creator" if creator else "reader"),
    ).fetchone()
    return row[0]


def publish(conn, creator_id, title, content, subscribers_only=False, draft=False):
    """Write a draft, then publish it with publish_post (one transaction)."""
    with conn.transaction():
        post_id = conn.execute(
            f"INSERT INTO {S}.posts (creator_id, title, content, visibility) VALUES (%s, %s, %s, %s) RETURNING id",
            (creator_id, title, content, "subscribers" if subscribers_only else "public"),
        ).fetchone()[0]
        if not draft:
            conn.execute(f"SELECT id FROM {S}.publish_post(%s)", (post_id,))
    return post_id


def subscribe(conn, reader_id, creator_id):
    return conn.execute(
        f"SELECT id, status FROM {S}.subscribe(%s, %s)", (reader_id, creator_id)
    ).fetchone()


def unsubscribe(conn, reader_id, creator_id):
    return conn.execute(
        f"SELECT id, status FROM {S}.cancel_subscription(%s, %s)", (reader_id, creator_id)
    ).fetchone()


def home_feed_pages(conn, reader_id, page_size):
    """Yield home_feed pages, following the last row's cursor until a page is short."""
    after = None
    while True:
        rows = conn.execute(
            f"SELECT post_id, creator_username, title, content, locked, published_at, comment_count, cursor"
            f"  FROM {S}.home_feed(%s, %s, %s)",
            (reader_id, page_size, after),
        ).fetchall()
        yield rows
        if len(rows) < page_size:
            return
        after = rows[-1][-1]


def add_comment(conn, post_id, user_id, text, reply_to=None):
    return conn.execute(
        f"SELECT id, depth FROM {S}.add_comment(%s, %s, %s, %s)", (post_id, user_id, text, reply_to)
    ).fetchone()[0]


def thread_rows(conn, post_id, page_size=50):
    after = None
    while True:
        rows = conn.execute(
            f"SELECT comment_id, parent_comment_id, username, content, depth, reply_count, deleted, cursor"
            f"  FROM {S}.comment_thread(%s, %s, %s)",
            (post_id, page_size, after),
        ).fetchall()
        yield from rows
        if len(rows) < page_size:
            return
        after = rows[-1][-1]


def claim_events(conn, batch, handle):
    """Claim a batch and handle it in the same transaction: if handle() raises,
    the transaction rolls back and the events stay unprocessed (at-least-once)."""
    with conn.transaction():
        rows = conn.execute(
            f"SELECT id, kind, payload, created_at FROM {S}.claim_events(%s)", (batch,)
        ).fetchall()
        for row in rows:
            handle(row)
    return len(rows)


# -- printing -----------------------------------------------------------------------------

def print_feed(conn, reader_id, page_size):
    total = 0
    for n, rows in enumerate(home_feed_pages(conn, reader_id, page_size), start=1):
        print(f"page {n}: {len(rows)} rows")
        for post_id, username, title, content, locked, published_at, comments, _cursor in rows:
            body = "[subscribers only]" if locked else content
            print(f"  post {post_id}  {published_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}  @{username}  {title!r}: {body}  ({comments} comments)")
        total += len(rows)
    print(f"feed: {total} posts")


def print_thread(conn, post_id):
    for cid, _parent, username, content, depth, replies, deleted in (r[:7] for r in thread_rows(conn, post_id)):
        text = "[deleted]" if deleted else content
        print(f"  {'  ' * depth}comment {cid} @{username}: {text}  ({replies} replies)")


def print_event(row):
    event_id, kind, payload, _created = row
    print(f"  event {event_id} {kind} {json.dumps(payload, sort_keys=True)}")


# -- the story ----------------------------------------------------------------------------

def scenario(conn, tag, page_size):
    """Sign up, publish, subscribe, read the feed page by page, comment, claim events."""
    def name(who):
        return f"{who}_{tag}"

    print(f"== sign up (tag {tag})")
    ids = {}
    for who, creator in (("alice", True), ("bob", True), ("carol", True), ("reader", False)):
        ids[who] = signup(conn, f"{name(who)}@example.com", name(who), creator)
        print(f"  {'creator' if creator else 'reader '} @{name(who)} {ids[who]}")

    print("== a second signup with a taken username (any case) is refused")
    try:
        signup(conn, f"other_{tag}@example.com", name("ALICE"))
        print("  unexpected: accepted")
    except psycopg.Error as e:
        print(f"  error: {friendly(e)}")
    print("== a username of the wrong shape is refused")
    try:
        signup(conn, f"bad_{tag}@example.com", "no spaces allowed")
    except psycopg.Error as e:
        print(f"  error: {friendly(e)}")

    print("== publish")
    posts = {"alice": [], "bob": [], "carol": []}
    for i in range(1, 5):
        for who, count in (("alice", 4), ("bob", 3), ("carol", 2)):
            if i <= count:
                members = who == "alice" and i == 2
                pid = publish(conn, ids[who], f"{who} post {i}", f"{who} writes, part {i}", subscribers_only=members)
                posts[who].append(pid)
                print(f"  published {pid} by @{name(who)}{' (subscribers only)' if members else ''}")
    draft = publish(conn, ids["alice"], "alice draft", "not yet", draft=True)
    print(f"  draft {draft} by @{name('alice')} (stays out of every feed)")

    print("== subscribe")
    for who in ("alice", "bob", "carol"):
        sub_id, status = subscribe(conn, ids["reader"], ids[who])
        print(f"  @{name('reader')} -> @{name(who)}: {status} {sub_id}")
    sub_id, status = unsubscribe(conn, ids["reader"], ids["carol"])
    print(f"  @{name('reader')} -> @{name('carol')}: {status} {sub_id}")

    print(f"== home feed of @{name('reader')}, {page_size} per page")
    print_feed(conn, ids["reader"], page_size)
    print("== a page size out of range is refused")
    try:
        next(home_feed_pages(conn, ids["reader"], 0))
    except psycopg.Error as e:
        print(f"  error: {friendly(e)}")

    print("== comment")
    post = posts["alice"][0]
    top = add_comment(conn, post, ids["reader"], "Great first post!")
    reply = add_comment(conn, post, ids["alice"], "Thank you!", reply_to=top)
    print(f"  comment {top} and reply {reply} on {post}")
    try:
        add_comment(conn, draft, ids["reader"], "early bird")
    except psycopg.Error as e:
        print(f"  commenting on a draft: error: {friendly(e)}")
    print(f"== thread of {post}")
    print_thread(conn, post)

    print("== claim events")
    mine = set(str(v) for v in ids.values())
    others = 0

    def handle(row):
        nonlocal others
        payload = row[2]
        if mine & set(str(v) for v in payload.values()):
            print_event(row)
        else:
            others += 1  # activity that is not this story's (e.g. make demo's data)

    claimed = 0
    while True:
        n = claim_events(conn, 100, handle)
        claimed += n
        if n < 100:
            break
    print(f"claimed {claimed} events ({others} from other activity)")
    print("== done")


# -- the command line ---------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="creator_platform example client (psycopg 3)")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("signup", help="create a user")
    c.add_argument("--email", required=True)
    c.add_argument("--username", required=True)
    c.add_argument("--creator", action="store_true", help="role creator instead of reader")
    c = sub.add_parser("publish", help="write a post and publish it")
    c.add_argument("--creator", required=True, help="the creator's user id")
    c.add_argument("--title", required=True)
    c.add_argument("--content", default="")
    c.add_argument("--subscribers-only", action="store_true")
    c.add_argument("--draft", action="store_true", help="keep it a draft")
    for verb in ("subscribe", "unsubscribe"):
        c = sub.add_parser(verb, help=f"{verb} a reader to a creator")
        c.add_argument("--reader", required=True)
        c.add_argument("--creator", required=True)
    c = sub.add_parser("feed", help="walk the reader's home feed page by page")
    c.add_argument("--reader", required=True)
    c.add_argument("--page-size", type=int, default=20)
    c = sub.add_parser("comment", help="comment on a post, or reply to a comment")
    c.add_argument("--post", required=True)
    c.add_argument("--user", required=True)
    c.add_argument("--text", required=True)
    c.add_argument("--reply-to")
    c = sub.add_parser("thread", help="print a post's comments, depth first")
    c.add_argument("--post", required=True)
    c = sub.add_parser("claim-events", help="claim unprocessed events and print them")
    c.add_argument("--batch", type=int, default=100)
    c = sub.add_parser("scenario", help="run the whole story and print it")
    c.add_argument("--tag", default=secrets.token_hex(3), help="suffix of the usernames (default: random)")
    c.add_argument("--page-size", type=int, default=2)
    a = p.parse_args(argv)

    try:
        with connect() as conn:
            if a.cmd == "signup":
                print(f"user {signup(conn, a.email, a.username, a.creator)}")
            elif a.cmd == "publish":
                pid = publish(conn, a.creator, a.title, a.content, a.subscribers_only, a.draft)
                print(f"post {pid}")
            elif a.cmd == "subscribe":
                print("subscription {} {}".format(*subscribe(conn, a.reader, a.creator)))
            elif a.cmd == "unsubscribe":
                row = unsubscribe(conn, a.reader, a.creator)
                print("nothing was active" if row[0] is None else "subscription {} {}".format(*row))
            elif a.cmd == "feed":
                print_feed(conn, a.reader, a.page_size)
            elif a.cmd == "comment":
                print(f"comment {add_comment(conn, a.post, a.user, a.text, a.reply_to)}")
            elif a.cmd == "thread":
                print_thread(conn, a.post)
            elif a.cmd == "claim-events":
                n = claim_events(conn, a.batch, print_event)
                print(f"claimed {n} events")
            elif a.cmd == "scenario":
                scenario(conn, a.tag, a.page_size)
    except psycopg.Error as e:
        if e.sqlstate is None:  # no SQLSTATE: the connection itself failed
            print(f"error: cannot talk to the database: {e}", file=sys.stderr)
            return 2
        print(f"error: {friendly(e)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
