"""Which unique rule an IntegrityError broke: only the race a caller expects may be treated as one."""

import re

from django.db import IntegrityError, models

_PG_KEY = re.compile(r"Key \(([^)]*)\)=")  # PostgreSQL's detail: Key (order_id, product_id)=(…) already exists.
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.*)$")  # SQLite names columns, never the constraint


def _rule(model: type[models.Model], name: str) -> tuple[str | None, set[str]]:
    """(the constraint's name, its columns) for a named UniqueConstraint or a unique field of `model`."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.name == name:
            return name, {model._meta.get_field(f).column for f in constraint.fields}
    field = model._meta.get_field(name)
    if not field.unique:
        raise ValueError(f"{model.__name__} has no unique rule {name!r}")
    return None, {field.column}


def breaks_unique(exc: IntegrityError, model: type[models.Model], rule: str) -> bool:
    """Whether `exc` is a duplicate under `model`'s unique `rule` (a UniqueConstraint's name or a unique field)."""
    constraint, columns = _rule(model, rule)
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL
        if getattr(diag, "sqlstate", None) != "23505" or diag.table_name != model._meta.db_table:
            return False
        if constraint is not None:
            return diag.constraint_name == constraint
        found = _PG_KEY.search(diag.message_detail or "")
        return found is not None and {c.strip().strip('"') for c in found.group(1).split(",")} == columns
    found = _SQLITE_UNIQUE.search(str(exc))
    if found is None:
        return False
    failed = {c.strip() for c in found.group(1).split(",")}
    return failed == {f"{model._meta.db_table}.{c}" for c in columns}
