"""The public API is what jacts.__all__ lists, and every public function documents itself."""

import inspect

import jacts


def test_all_lists_exactly_the_public_names():
  # Importing any submodule (jacts.cli, say) makes it an attribute of the package: only
  # functions and classes are counted here, and every name in __all__ must exist.
  public = {
    name
    for name, value in vars(jacts).items()
    if not name.startswith("_") and not inspect.ismodule(value)
  }
  assert public == {name for name in jacts.__all__ if not inspect.ismodule(getattr(jacts, name))}
  for name in ("datasets", "models", "naive", "parallel", "plotting", "shallow"):
    assert name in jacts.__all__ and inspect.ismodule(getattr(jacts, name))


def test_every_public_function_has_a_docstring_with_an_example():
  modules = [jacts, jacts.shallow, jacts.parallel, jacts.models, jacts.datasets]
  for module in modules:
    for name, value in vars(module).items():
      if name.startswith("_") or not inspect.isfunction(value):
        continue
      if value.__module__.split(".")[0] != "jacts" or value.__module__ == "jacts.plotting":
        continue
      doc = inspect.getdoc(value) or ""
      assert doc, f"{module.__name__}.{name} has no docstring"
      if module is not jacts.datasets and value.__module__ == module.__name__:
        assert ">>>" in doc, f"{module.__name__}.{name} has no example"
