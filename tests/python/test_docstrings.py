"""Every public function and method has a numpydoc docstring: a summary
line, a ``Parameters`` section naming each parameter when it takes any, and
a ``Returns`` section when it returns something."""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Iterator, List, Tuple

import pytest

import earlywarn
import earlywarn.dask
import earlywarn.plot


def public_callables() -> Iterator[Tuple[str, Callable[..., Any]]]:
    modules = {"earlywarn": earlywarn, "earlywarn.plot": earlywarn.plot,
               "earlywarn.dask": earlywarn.dask}
    names = [("earlywarn", n) for n in earlywarn.__all__ if n not in ("plot", "dask")]
    for module in ("earlywarn.plot", "earlywarn.dask"):
        names += [(module, n) for n in vars(modules[module])
                  if not n.startswith("_")
                  and getattr(getattr(modules[module], n), "__module__", "") == module]
    for module, name in names:
        thing = getattr(modules[module], name)
        if inspect.isfunction(thing):
            yield f"{module}.{name}", thing
        elif inspect.isclass(thing) and thing.__module__.startswith("earlywarn"):
            if thing is earlywarn.Stream:
                yield "earlywarn.Stream", thing  # made by users: its class docstring documents __init__
            for attribute, member in vars(thing).items():
                if attribute.startswith("_"):
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if inspect.isfunction(member):
                    yield f"{module}.{name}.{attribute}", member


CALLABLES = list(public_callables())


def test_the_walk_finds_the_api():
    names = {name for name, _ in CALLABLES}
    assert {"earlywarn.Ledger.from_csv", "earlywarn.Ruleset.evaluate", "earlywarn.Stream",
            "earlywarn.Stream.alerts_frame", "earlywarn.compare", "earlywarn.plot.household",
            "earlywarn.dask.evaluate", "earlywarn.ScenarioReport.junit_xml",
            "earlywarn.Explanation.to_frame"} <= names
    assert len(CALLABLES) > 45


def section(doc: str, title: str) -> str:
    """The body of a numpydoc section, empty when there is none."""
    found = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    return found.group(1) if found else ""


def parameters(thing: Callable[..., Any]) -> List[str]:
    target = thing.__init__ if inspect.isclass(thing) else thing  # type: ignore[misc]
    return [
        ("**" if p.kind is p.VAR_KEYWORD else "") + p.name
        for p in inspect.signature(target).parameters.values()
        if p.name not in ("self", "cls")
    ]


@pytest.mark.parametrize("name, thing", CALLABLES, ids=[n for n, _ in CALLABLES])
def test_a_numpydoc_docstring(name, thing):
    doc = inspect.getdoc(thing)
    assert doc, f"{name} has no docstring"
    summary = doc.split("\n")[0]
    assert summary and not summary.startswith(" "), name
    params = parameters(thing)
    if params:
        body = section(doc, "Parameters")
        assert body, f"{name} takes {params} but has no Parameters section"
        documented = set()
        for line in body.splitlines():
            entry = re.match(r"^(\*{0,2}[a-z_][a-z_0-9]*(?:, [a-z_][a-z_0-9]*)*) :", line)
            if entry:
                documented.update(entry.group(1).split(", "))
        assert set(params) == documented, f"{name}: Parameters documents {documented}, takes {params}"
    returns = inspect.signature(thing).return_annotation
    if not inspect.isclass(thing) and returns not in (None, "None", inspect.Signature.empty):
        assert section(doc, "Returns").strip(), f"{name} returns {returns} but has no Returns section"
    if section(doc, "Raises"):
        for line in section(doc, "Raises").splitlines():
            if line and not line.startswith(" "):
                assert re.fullmatch(r"[A-Z][A-Za-z]*(Error|Warning|Exception)", line), (name, line)
