"""YAML with line numbers: load a file into plain data plus a map from data path to line.

Input: a YAML file. Output: ``Located`` (the data and ``line_of(path)``), so validation
problems can name the file and line of the offending key. Duplicate keys are problems too
(PyYAML would silently keep the last one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from netaudit.errors import InventoryError

YamlData = None | bool | int | float | str | list["YamlData"] | dict[str, "YamlData"]
PathKey = tuple[str | int, ...]


@dataclass(slots=True)
class Located:
    file: Path
    data: YamlData
    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int:
        """Line of the deepest known prefix of ``path`` (1-based); 1 when nothing matches."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


def _convert(node: yaml.Node, path: PathKey, out: Located) -> YamlData:
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, YamlData] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node))
            if key in result:
                out.duplicates.append((key, key_node.start_mark.line + 1))
            out.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*path, key), out)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> YamlData:
    # A scalar's value depends only on its tag and text: constructed once per distinct pair
    # (a city repeats the same keys and values thousands of times).
    return _scalar_value(node.tag, node.value)


@functools.lru_cache(maxsize=65536)
def _scalar_value(tag: str, value: str) -> YamlData:
    node = yaml.ScalarNode(tag, value)
    result: YamlData = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    return result


# libyaml's composer when PyYAML was built with it (same nodes and marks, ~10× faster).
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The tag of a scalar by (node kind, text, implicit flags), remembered: the composer asks the
# resolver once per scalar, and the resolver tries up to a dozen regular expressions in Python
# each time (a quarter of a 500-unit inventory's load; issue 9). The safe loader has no path
# resolvers, so the tag depends on nothing else.
_TAGS: dict[tuple[object, str, object], str] = {}
_TAGS_MAX = 200_000


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    def resolve(self, kind: type[yaml.Node], value: str, implicit: object) -> str:
        key = (kind, value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_TAGS) < _TAGS_MAX:
                _TAGS[key] = tag
        return tag


_LOADER: type[yaml.SafeLoader] = _Loader


def load_yaml(file: Path) -> Located:
    """Load one YAML file; raises ``InventoryError`` naming file and line on bad YAML."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError(f"{file}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InventoryError(f"{file}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InventoryError(f"{file}: cannot read ({exc.strerror})") from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        raise InventoryError(f"{file}:{line}: invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise InventoryError(f"{file}: invalid YAML: {exc}") from None
    out = Located(file, None)
    if node is None:
        out.lines[()] = 1
        return out
    out.data = _convert(node, (), out)
    return out
