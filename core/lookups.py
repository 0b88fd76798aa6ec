"""Lookups that keep a visitor's out-of-range number from reaching the database driver.

Since Django 5.0 ``exact``, ``gt``, ``gte``, ``lt`` and ``lte`` on an integer column treat
a value the column cannot hold as matching nothing (or everything); ``in`` does not, so
``pk__in=[99999999999999999999]`` (what a multiple-choice form field runs for
``themes=99999999999999999999``, in ours and the admin's alike) raises OverflowError in
SQLite's driver. ``IntegerFieldIn`` leaves such values out, as ``exact`` would.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``in`` on an integer column, ignoring values outside the column's range."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def install() -> None:
    """Use IntegerFieldIn for ``in`` on every integer column, primary keys included."""
    IntegerField.register_lookup(IntegerFieldIn)
