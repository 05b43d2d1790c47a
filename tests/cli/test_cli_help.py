"""Help that explains itself: every option says what it does and its default, every command
shows an example, and ``jacts --help`` names every command."""

import argparse

import pytest

from jacts.cli import _main


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
  """Every command's parser by its words (``"study relu0"``), nested ones included."""
  found = {}
  for action in parser._actions:
    if isinstance(action, argparse._SubParsersAction):
      for name, sub in action.choices.items():
        found[name] = sub
        found |= {f"{name} {deeper}": p for deeper, p in subcommands(sub).items()}
  return found


COMMANDS = subcommands(_main._build_parser())


def test_the_top_help_names_every_command():
  top = _main._build_parser()
  named = [words for words in COMMANDS if " " not in words]
  assert named == ["train", "check", "plot", "predict", "study"]
  assert all(name in top.description for name in named), top.description


@pytest.mark.parametrize("words", list(COMMANDS))
def test_every_command_shows_an_example(words):
  assert COMMANDS[words].epilog.startswith(f"example: jacts {words}")


@pytest.mark.parametrize("words", list(COMMANDS))
def test_every_option_says_what_it_does_and_its_default(words):
  for action in COMMANDS[words]._actions:
    if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
      continue
    assert action.help, f"jacts {words} {action.option_strings} has no help text"
    if action.default in (None, False):  # Flags, and options whose absence is the default.
      continue
    assert "default" in action.help, f"jacts {words} {action.option_strings}: {action.help!r}"
    if isinstance(action.default, (int, float, str)):
      assert str(action.default) in action.help, (words, action.option_strings, action.help)
