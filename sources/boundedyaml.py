"""YAML read with bounds: what a file may cost and say twice is checked before anything is built from it.

PyYAML's safe loader is safe from code execution, not from cost or ambiguity: a 618-byte file of nested
aliases once took 5 GB and a minute to report (aliases are shared when built, expanded when walked),
50,000 "[" raised RecursionError in its recursive composer, and a key given twice silently kept the
last value (`kind: watch` then `kind: website` made an account official).
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 50
MAX_VALUES = 100_000


class YAMLProblems(ValueError):
    """The text is not YAML within the bounds; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a bound on nesting while it composes (its composer recurses)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"line {mark.line + 1}: values nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self.depth -= 1


def read_yaml(text: str) -> Any:
    """The document in `text`, after checking what YAML would let it cost and say twice: nesting, the
    values its aliases expand to (counted without expanding them), and keys given twice in a mapping
    (PyYAML keeps the last silently: `kind: watch` then `kind: website` made an account official)."""
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _count_values(node, {}, set())
        problems = _duplicate_keys_and_nuls(node)
        if problems:
            raise YAMLProblems(problems)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise YAMLProblems([f"{where}not valid YAML ({problem})" if mark else str(problem)]) from None
    finally:
        loader.dispose()


def _count_values(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values `node` stands for with every alias expanded, computed once per distinct node."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise yaml.YAMLError(f"line {node.start_mark.line + 1}: a value contains itself through an alias")
    open_nodes.add(key)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_count_values(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _count_values(k, sizes, open_nodes) + _count_values(v, sizes, open_nodes)
    open_nodes.discard(key)
    if total > MAX_VALUES:
        raise yaml.YAMLError(f"its aliases would expand the file to more than {MAX_VALUES} values")
    sizes[key] = total
    return total


def _duplicate_keys_and_nuls(root: yaml.Node) -> list[str]:
    problems: list[str] = []
    seen: set[int] = set()

    def walk(node: yaml.Node, where: str) -> None:
        if id(node) in seen:  # an alias: its node was checked where it was anchored
            return
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and "\x00" in node.value:
            # "\0" is valid YAML, but PostgreSQL refuses a NUL in text: the import failed at its commit
            # with an autoflush message naming neither the file nor the field.
            line = node.start_mark.line + 1
            problems.append(f"{where + ': ' if where else ''}line {line}: a NUL character (\\0) has no place in a text")
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, f"{where}[{index}]" if where else f"[{index}]")
        elif isinstance(node, yaml.MappingNode):
            lines: dict[str, int] = {}
            named = where
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode):
                    named = f"{where} (id {shown(v.value)})"
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
                    continue
                walk(k, where)
                line = k.start_mark.line + 1
                if k.value in lines:
                    field = f"field {shown(k.value)} appears twice (lines {lines[k.value]} and {line})"
                    problems.append(f"{named + ': ' if named else ''}{field}; a file must say it once")
                else:
                    lines[k.value] = line
                walk(v, f"{where}.{k.value}" if where else str(k.value))

    walk(root, "")
    return problems


def shown(value: Any, limit: int = 120) -> str:
    """A value from the file as a message shows it: its repr, cut short (a value may be enormous)."""
    text = repr(value) if isinstance(value, str | int | float | bool | None) else f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"
