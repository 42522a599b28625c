"""The evaluation as a council reads it: declared columns, shown parts adding up, Japanese first."""

from __future__ import annotations

from decimal import Decimal

import attrs

from jichitai_cloud import evaluate
from jichitai_cloud._display import shown_rows
from jichitai_cloud.examples import toyama_evaluation


def _unrounded():
    proc = toyama_evaluation()
    return evaluate(attrs.evolve(proc, scheme=attrs.evolve(proc.scheme, decimals=None)))


def test_shown_parts_add_up_to_the_shown_total() -> None:
    for result in (evaluate(toyama_evaluation()), _unrounded()):
        t = result.view("評価結果")
        rows, _ = shown_rows(t)
        comps = [c.name for c in result.scheme.technical_components]
        for row in rows:
            v = dict(zip(t.keys, row, strict=True))
            assert v["price"] + v["technical"] == v["total"]
            assert sum((v[c] for c in comps), Decimal(0)) == v["technical"]
            assert all(-v[k].as_tuple().exponent == 2 for k in ("price", "technical", "total", *comps))
        assert "最大剰余法" in result.to_text() and "largest remainder" in result.to_text("en")


def test_unrounded_points_show_without_float_noise() -> None:
    r = _unrounded()
    assert any(len(repr(x.total).split(".")[1]) > 2 for x in r.results)  # the stored totals are unrounded
    for text in (r.to_text(), r.to_text("en"), r.html_fragment(), r.to_markdown()):
        for x in r.results:
            assert repr(x.total) not in text


def test_declared_kinds_and_languages() -> None:
    r = evaluate(toyama_evaluation())
    t = r.view()
    kinds = {c.key: c.kind for c in t.columns}
    assert kinds["bid"] == "yen" and kinds["total"] == "points" and kinds["vendor"] == "name"
    assert t.title == "評価結果" and t.title_en == "Evaluation result"
    assert all(v.sheet and len(v.sheet) <= 31 for v in r.views())
    assert r.summary().startswith("最優秀業者: 事業者A") and r.summary("en").startswith("winner: 事業者A")
    assert "採点 提案書" not in r.to_text() and "IT-1" not in r.to_text()  # the judges' raw sheets go to the exports only
    frame = r.to_dataframe()
    assert str(frame["bid"].dtype) == "int64" and frame.index.name == "vendor"
    rob = r.robustness(samples=200)
    assert {c.kind for c in rob.view().columns[1:]} == {"percent"}
    assert "頑健性" in rob.to_text() and "Robustness" in rob.to_text("en")
