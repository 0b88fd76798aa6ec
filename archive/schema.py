"""The parts a resource is declared with: its columns (Table Schema fields), foreign keys,
and the resource itself. The declarations are in resources.py."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Column:
    """One column: its Table Schema field and how its value is read from a row."""

    name: str
    type: str
    description: str
    read: str | Callable[[Any], Any] = ""  # an attribute name (the column's by default)
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | tuple[int, ...] = ()
    format: str = ""

    def value(self, row: Any) -> Any:
        if callable(self.read):
            return self.read(row)
        return getattr(row, self.read or self.name)

    def schema(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.format:
            described["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    resource: str
    reference: tuple[str, ...] = ("id",)


@dataclass(frozen=True)
class Resource:
    """A table of the archive: ``data/<name>.csv`` and ``data/<name>.json``."""

    name: str
    title: str
    description: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    def schema(self) -> dict[str, Any]:
        described: dict[str, Any] = {"fields": [column.schema() for column in self.columns]}
        # A missing value is an empty CSV cell (and null in the JSON).
        described["missingValues"] = [""]
        if self.primary_key:
            described["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            described["foreignKeys"] = [
                {
                    "fields": list(key.columns),
                    "reference": {"resource": key.resource, "fields": list(key.reference)},
                }
                for key in self.foreign_keys
            ]
        return described

    def values(self, row: Any) -> list[Any]:
        """The row's values; an empty text is missing (null), as its empty CSV cell reads."""
        values = (column.value(row) for column in self.columns)
        return [None if value == "" else value for value in values]
