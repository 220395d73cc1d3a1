"""Docs that match the code: every command and option the CLI has is in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from crisisdesk.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "crisisdesk") -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((f"{prefix} {name}", sub))
                found.extend(_commands(sub, f"{prefix} {name}"))
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    missing = []
    for name, sub in _commands(build_parser()):
        top = " ".join(name.split()[:2])
        if top not in README:
            missing.append(top)
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option not in ("--help", "--db", "--format") and option not in README:
                    missing.append(f"{name} {option}")
    assert missing == []


def test_the_quick_start_is_the_two_make_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick and "make test" in quick
