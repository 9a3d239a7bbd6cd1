"""Emails, names and phone numbers stay in staging: no mart column holds an email address."""

from __future__ import annotations


def test_no_mart_column_holds_an_email_address(build):
    columns = build.query(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'marts' and data_type = 'VARCHAR'"
    )
    assert not columns.empty
    leaks = []
    for table, column in columns.itertuples(index=False):
        found = build.query(
            f'select count(*) as n from marts."{table}"'
            f" where regexp_matches(\"{column}\", '[^@\\s]+@[^@\\s]+\\.[a-z]{{2,}}', 'i')"
        )["n"][0]
        if found:
            leaks.append(f"{table}.{column}: {found} rows")
    assert not leaks, leaks


def test_no_mart_column_is_named_like_pii(build):
    columns = build.query(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'marts'"
    )
    pii = {"email", "first_name", "last_name", "phone", "ip_address", "name"}
    named = [f"{t}.{c}" for t, c in columns.itertuples(index=False) if c in pii]
    assert not named, named
