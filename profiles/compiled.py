"""Queries whose SQL the ORM compiles once per database connection: the ones every request
asks (its session, its user, a PDF download's profile), the same statement each time but for
its values, where compiling the query cost more than running it."""

import threading
from dataclasses import dataclass

from django.db import connections
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _Compiled:
    compiler: object
    sql: str
    slots: list  # the placeholder's name for each parameter of the SQL
    converters: dict
    model: type = None  # for model instances: the model, its columns and its populators
    first: int = 0
    last: int = 0
    names: tuple = ()
    populators: tuple = ()


class CompiledQuery:
    """The query `build(**placeholders)` returns, compiled by the ORM on its first use on each
    database connection (one per thread) and kept for it; each call runs that SQL with the
    values given for the placeholders.

    Each placeholder is a string or number no real value takes, and every parameter of the
    compiled SQL must be one of them, so that nothing else is kept from the first call.
    Rows come back as the ORM gives them: through the database's converters, and as model
    instances with what `select_related` names attached (by Django's own populators).
    """

    def __init__(self, build, **placeholders):
        self.build = build
        self.placeholders = placeholders
        # Per thread, as Django's connections are: the compiler holds its connection, so a
        # cache that outlived the thread would keep the thread's connection too.
        self._local = threading.local()

    def _compile(self, using):
        connection = connections[using]
        kept = self._local.__dict__.setdefault("compiled", {})
        if using in kept and kept[using][0] is connection:
            return kept[using][1]
        compiler = self.build(**self.placeholders).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        names = {value: name for name, value in self.placeholders.items()}
        unknown = [param for param in params if param not in names]
        if unknown:
            raise ValueError(f"Parameters that are not placeholders: {unknown!r}")
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        instances = {}
        klass_info = compiler.klass_info
        query = compiler.query
        if klass_info is not None and not query.values_select and not compiler.annotation_col_map:
            first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            instances = {
                "model": klass_info["model"],
                "first": first,
                "last": last,
                "names": tuple(column.target.attname for column in columns[first:last]),
                "populators": tuple(get_related_populators(klass_info, compiler.select, using)),
            }
        compiled = _Compiled(
            compiler,
            sql,
            [names[param] for param in params],
            compiler.get_converters(columns),
            **instances,
        )
        kept[using] = (connection, compiled)
        return compiled

    def rows(self, using, **values):
        """The rows (tuples of the selected columns) for these values."""
        return self._rows(self._compile(using), using, values)

    def objects(self, using, **values):
        """The model instances for these values, as iterating the queryset gives them."""
        compiled = self._compile(using)
        if compiled.model is None:
            raise ValueError("Not a query of model instances (values, or annotations).")
        found = []
        for row in self._rows(compiled, using, values):
            instance = compiled.model.from_db(
                using, compiled.names, row[compiled.first : compiled.last]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found

    @staticmethod
    def _rows(compiled, using, values):
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, [values[name] for name in compiled.slots])
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [
                tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)
            ]
        return rows
