"""Pickling dataclasses as constructor calls: ``cls(*fields)``.

Results and device models cross processes pickled (the parse workers, the forked network side;
issue 9). Two reasons not to leave it to the dataclass's own pickling: speed (a slotted
dataclass's ``__getstate__``/``__setstate__`` walk ``fields()`` in Python per object), and the
modules compiled with mypyc (``netaudit._native``), whose frozen classes cannot be unpickled
that way at all (``__setstate__`` assigns to a frozen field). Only for classes whose every
field is an ``__init__`` argument and that have no ``__post_init__``: the same object back.
"""

from __future__ import annotations

import copyreg
import dataclasses
import operator
from collections.abc import Callable, Iterable
from types import ModuleType


def _constructor_reducer(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    # attrgetter of two or more names gives the values as a tuple, built in C (speed).
    fields = operator.attrgetter(*names) if len(names) >= 2 else None

    def reduce(obj: object) -> tuple[type, tuple[object, ...]]:
        if fields is None:
            return cls, tuple([getattr(obj, n) for n in names])
        values: tuple[object, ...] = fields(obj)
        return cls, values

    return reduce


def by_constructor(classes: Iterable[type]) -> None:
    """Pickle these dataclasses as ``cls(*fields)`` (those it can be done for)."""
    for cls in classes:
        fields = dataclasses.fields(cls)
        if all(f.init for f in fields) and not hasattr(cls, "__post_init__"):
            copyreg.pickle(cls, _constructor_reducer(cls))


def dataclasses_of(*modules: ModuleType) -> list[type]:
    """The dataclasses these modules define."""
    return [
        cls
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type)
        and cls.__module__ == module.__name__
        and dataclasses.is_dataclass(cls)
    ]
