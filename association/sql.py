"""Queries written in SQL: their rows as dicts of their columns."""

from __future__ import annotations

from django.db import connection


def dict_rows(sql: str, params) -> list[dict]:
    """The rows of ``sql`` (with ``params``), each as a dict of its columns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
