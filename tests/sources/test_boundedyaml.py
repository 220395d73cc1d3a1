"""sources/boundedyaml.py: YAML whose cost and meaning are checked before it is built."""

from __future__ import annotations

import pytest

from sources.boundedyaml import MAX_DEPTH, MAX_VALUES, YAMLProblems, read_yaml, shown


def test_plain_yaml_with_anchors_reads_as_usual() -> None:
    assert read_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    assert read_yaml("") is None


def test_aliases_are_counted_without_being_expanded() -> None:
    levels = ["l0: &l0 [" + ", ".join(["x"] * 10) + "]"]
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(YAMLProblems, match=f"more than {MAX_VALUES} values"):
        read_yaml("\n".join(levels))  # 10^9 values if expanded


def test_nesting_is_bounded_before_the_recursive_composer_overflows() -> None:
    with pytest.raises(YAMLProblems, match=f"nested deeper than {MAX_DEPTH} levels"):
        read_yaml("[" * 100_000)
    assert read_yaml("[" * 40 + "]" * 40) is not None


def test_a_value_containing_itself_is_refused() -> None:
    with pytest.raises(YAMLProblems, match="contains itself"):
        read_yaml("a: &a [*a]\n")


def test_keys_given_twice_are_named_with_their_place_and_lines() -> None:
    with pytest.raises(YAMLProblems) as caught:
        read_yaml("x: 1\nitems:\n  - id: one\n    k: a\n    k: b\nx: 2\n")
    assert sorted(caught.value.problems) == [
        "field 'x' appears twice (lines 1 and 6); a file must say it once",
        "items[0] (id 'one'): field 'k' appears twice (lines 4 and 5); a file must say it once",
    ]


def test_a_nul_in_a_text_is_named_with_its_place_and_line() -> None:
    # PostgreSQL refuses NUL in text: an account registry carrying one failed at the import's commit.
    with pytest.raises(YAMLProblems) as caught:
        read_yaml('organisation: ok\naccounts:\n  - id: w\n    name: "A\\0B"\n"k\\0": 1\n')
    assert caught.value.problems == [
        "accounts[0].name: line 4: a NUL character (\\0) has no place in a text",
        "line 5: a NUL character (\\0) has no place in a text",
    ]


def test_merge_keys_are_not_duplicates() -> None:
    assert read_yaml("base: &b {k: 1}\nitem:\n  <<: *b\n  k: 2\n") == {"base": {"k": 1}, "item": {"k": 2}}


def test_syntax_errors_say_where() -> None:
    with pytest.raises(YAMLProblems, match="line 3, column 1: not valid YAML"):
        read_yaml("a: [\n  b: {\n")


def test_shown_values_are_short() -> None:
    assert shown("x" * 500).endswith("…") and len(shown("x" * 500)) == 120
    assert shown([1, 2]) == "a list"
