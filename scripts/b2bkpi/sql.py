"""Quoting for SQL built from names (folders, files, columns, paths): a name is never pasted
into SQL as it is, so a double quote or an apostrophe in it cannot break the statement. The
quoting is standard SQL, the same for DuckDB and PostgreSQL."""

from __future__ import annotations


def identifier(*parts: str) -> str:
    """`"schema"."table"` from its parts, each quoted."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def literal(text: str) -> str:
    """A string literal."""
    return "'" + text.replace("'", "''") + "'"
