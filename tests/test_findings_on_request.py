"""Findings are built from the engine's outcome matrix only when a report asks, and large outputs stream in batches.

Every way of asking (whole, for a few suppliers, in risk-ordered batches, the first n) gives the same findings as
building them all and sorting, and the counts a summary needs never build them.
"""

from __future__ import annotations

import polars as pl
from ci_support import SAMPLE, fresh_sample_result, sample_result
from polars.testing import assert_frame_equal

from auditor import engine, render
from auditor.audit import AuditResult
from auditor.render import csv_report, ranked


def _by_hand(result: AuditResult) -> AuditResult:
    """The same audit with its findings held whole, as an evaluation built by hand holds them."""
    evaluation = engine.Evaluation(findings=result.findings, not_evaluable=result.evaluation.not_evaluable,
                                   rule_counts=result.evaluation.rule_counts)
    return AuditResult(loaded=result.loaded, rules=result.rules, evaluation=evaluation, suppliers=result.suppliers,
                       fail_on=result.fail_on, extra=dict(result.extra))


def test_an_audit_builds_no_findings_until_a_report_asks():
    result = fresh_sample_result()
    assert result.evaluation._findings is None
    result.summary()
    assert result.evaluation._findings is None and result.evaluation._not_evaluable is None


def test_risk_ordered_batches_give_the_order_of_one_sort_over_all_findings():
    result = sample_result()
    rank = result.loaded.suppliers.select("supplier_id").join(
        result.suppliers.select("supplier_id", pl.col("rank").alias("supplier_rank")), on="supplier_id", how="left", maintain_order="left"
    ).get_column("supplier_rank")
    batches = list(result.evaluation.evaluated.risk_ordered(rank, per_batch=40))
    assert len(batches) > 20  # several batches per severity
    assert_frame_equal(pl.concat(batches).drop("supplier_rank"), ranked.ranked_findings(_by_hand(result)).drop("supplier_rank", "failing", "suppressed"))


def test_ranked_findings_from_batches_equal_the_sorted_whole():
    result = sample_result()
    assert_frame_equal(ranked.ranked_findings(result), ranked.ranked_findings(_by_hand(result)))


def test_top_ranked_builds_the_first_findings_by_risk():
    result = sample_result()
    assert_frame_equal(ranked.top_ranked(result, 7), ranked.ranked_findings(result).head(7))


def test_the_summary_counted_by_the_engine_equals_the_summary_counted_from_the_findings():
    result = fresh_sample_result()
    assert result.summary() == _by_hand(result).summary()


def test_findings_of_a_few_suppliers_equal_those_suppliers_among_all_findings():
    result = sample_result()
    ids = ["SUP-0001", "SUP-0022"]
    assert_frame_equal(result.evaluation.findings_of(ids).sort("supplier_id", "rule_id"),
                       result.findings.filter(pl.col("supplier_id").is_in(ids)).sort("supplier_id", "rule_id"))
    assert_frame_equal(result.evaluation.not_evaluable_of(ids),
                       result.evaluation.not_evaluable.filter(pl.col("supplier_id").is_in(ids)))


def test_a_csv_file_streamed_in_batches_equals_the_csv_text(tmp_path):
    result = sample_result()
    render.emit(result, render.OutputSpec("csv", tmp_path / "findings.csv"))
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8") == csv_report.render(result)


def test_a_parquet_file_streamed_in_batches_holds_the_findings_in_risk_order(tmp_path):
    result = sample_result()
    render.emit(result, render.OutputSpec("parquet", tmp_path / "findings.parquet"))
    assert_frame_equal(pl.read_parquet(tmp_path / "findings.parquet"), csv_report.findings_frame(_by_hand(result)))


def test_an_audit_with_no_findings_writes_the_columns_and_no_rows(tmp_path):
    from auditor.audit import run_audit
    from tests.test_rule_packs import _pack

    rules = _pack(tmp_path, "workers_paid_recruitment_fees AND NOT workers_paid_recruitment_fees")  # never true
    result = run_audit([SAMPLE], rules_dirs=[rules])
    assert result.findings_count() == 0
    render.emit(result, render.OutputSpec("parquet", tmp_path / "none.parquet"))
    written = pl.read_parquet(tmp_path / "none.parquet")
    assert written.height == 0 and written.columns == list(csv_report.COLUMNS)


def test_small_inputs_are_built_in_larger_batches_than_portfolios_at_scale():
    from auditor.engine import FINDINGS_PER_BATCH, SMALL_INPUT_ROWS, findings_per_batch

    assert findings_per_batch(100_000) > findings_per_batch(1_000_000) == FINDINGS_PER_BATCH
    assert findings_per_batch(SMALL_INPUT_ROWS) > findings_per_batch(SMALL_INPUT_ROWS + 1)


def test_supplier_ordered_batches_give_the_order_of_one_sort_over_all_findings():
    result = sample_result()
    batches = list(result.evaluation.evaluated.supplier_ordered("findings", per_batch=40))
    assert len(batches) > 10
    assert_frame_equal(pl.concat(batches), engine.in_supplier_order(result.findings).select(engine.FINDING_COLUMNS))


def test_supplier_ordered_not_evaluable_batches_equal_the_whole_list():
    result = sample_result()
    batches = list(result.evaluation.evaluated.supplier_ordered("not_evaluable", per_batch=40))
    assert len(batches) > 10
    assert_frame_equal(pl.concat(batches), result.evaluation.not_evaluable)


def test_a_json_file_streamed_in_small_batches_is_byte_for_byte_the_report_of_findings_held_whole(tmp_path, monkeypatch):
    from auditor.render import json_report

    result = sample_result()
    monkeypatch.setattr(json_report, "FINDINGS_PER_PIECE", 7)  # many pieces per engine batch
    monkeypatch.setattr(json_report, "ROWS_PER_PIECE", 5)
    monkeypatch.setattr(engine, "FINDINGS_PER_BATCH_SMALL", 30)  # many engine batches
    render.emit(result, render.OutputSpec("json", tmp_path / "report.json"))
    assert (tmp_path / "report.json").read_bytes() == json_report.render(_by_hand(result)).encode("utf-8")


def test_json_on_standard_output_is_the_json_file(tmp_path, capfdbinary):
    result = sample_result()
    render.emit(result, render.OutputSpec("json", tmp_path / "report.json"))
    render.emit(result, render.OutputSpec("json", None))
    assert capfdbinary.readouterr().out == (tmp_path / "report.json").read_bytes()


def test_an_audit_with_no_findings_writes_empty_json_lists(tmp_path):
    import json

    from auditor.audit import run_audit
    from tests.test_rule_packs import _pack

    rules = _pack(tmp_path, "workers_paid_recruitment_fees AND NOT workers_paid_recruitment_fees")  # never true
    result = run_audit([SAMPLE], rules_dirs=[rules])
    render.emit(result, render.OutputSpec("json", tmp_path / "none.json"))
    assert json.loads((tmp_path / "none.json").read_text(encoding="utf-8"))["findings"] == []
    assert '"findings": [],' in (tmp_path / "none.json").read_text(encoding="utf-8")


def test_supplier_ordered_names_what_it_cannot_list():
    import pytest

    with pytest.raises(ValueError, match="neither"):
        next(sample_result().evaluation.evaluated.supplier_ordered("suppliers"))


def _annotated_by_sorting_everything(result: AuditResult) -> list[tuple[str, str]]:
    from auditor.render.github import COMMAND, MAX_PER_LEVEL
    from auditor.render.ranked import LEVEL

    levels = pl.col("severity").replace_strict({s: COMMAND[v] for s, v in LEVEL.items()}, return_dtype=pl.String)
    top = ranked_findings_whole(result).filter(~pl.col("suppressed")).with_row_index("_order").with_columns(levels.alias("_level"))
    return [(r["rule_id"], r["supplier_id"]) for r in top.group_by("_level").head(MAX_PER_LEVEL).sort("_order").iter_rows(named=True)]


def ranked_findings_whole(result: AuditResult) -> pl.DataFrame:
    return ranked.ranked_findings(_by_hand(result))


def test_github_annotates_the_top_findings_of_each_level_reading_only_as_many_batches_as_it_needs(monkeypatch):
    from auditor.render import github

    result = sample_result()
    monkeypatch.setattr(engine, "FINDINGS_PER_BATCH_SMALL", 25)
    monkeypatch.setattr(github, "MAX_PER_LEVEL", 3)
    annotated = [(r["rule_id"], r["supplier_id"]) for r in github._top_per_level(result).iter_rows(named=True)]
    assert annotated == _annotated_by_sorting_everything(result)
    assert len(annotated) == 9


def test_github_leaves_suppressed_findings_out_of_the_annotations(monkeypatch):
    from auditor.render import github

    result = fresh_sample_result()
    first = ranked.top_ranked(result, 2)
    result.extra["suppressed"] = {f: {"kind": "baseline"} for f in first.get_column("fingerprint")}
    monkeypatch.setattr(engine, "FINDINGS_PER_BATCH_SMALL", 25)
    annotated = [(r["rule_id"], r["supplier_id"]) for r in github._top_per_level(result).iter_rows(named=True)]
    assert annotated == _annotated_by_sorting_everything(result)
    assert not set(zip(first.get_column("rule_id"), first.get_column("supplier_id"))) & set(annotated)


def test_markdown_rule_counts_from_the_engine_equal_counts_over_every_finding():
    from auditor.render import markdown

    result = sample_result()
    whole = ranked_findings_whole(result).group_by("rule_id").agg(pl.len().alias("findings"), pl.col("failing").sum(), pl.col("suppressed").sum())
    expected = {r["rule_id"]: {"findings": r["findings"], "failing": r["failing"], "suppressed": r["suppressed"]} for r in whole.iter_rows(named=True)}
    assert markdown.rule_counts(result) == expected
    suppressed = fresh_sample_result()
    suppressed.extra["suppressed"] = {f: {"kind": "baseline"} for f in ranked.top_ranked(suppressed, 5).get_column("fingerprint")}
    counted = markdown.rule_counts(suppressed)
    assert sum(c["suppressed"] for c in counted.values()) == 5
    assert sum(c["findings"] for c in counted.values()) == suppressed.findings_count()


def test_the_html_report_builds_neither_every_finding_nor_every_not_evaluable_entry():
    from auditor.render import html

    result = fresh_sample_result()
    html.render(result)
    assert result.evaluation._findings is None and result.evaluation._not_evaluable is None


def test_the_portfolio_lists_what_is_missing_for_the_first_suppliers_and_counts_them_all():
    from auditor import portfolio_view

    result = sample_result()
    entries, suppliers = portfolio_view.missing(result, suppliers=3)
    every, _ = portfolio_view.missing(_by_hand(result))
    assert suppliers == every.get_column("supplier_id").n_unique()
    first = every.get_column("supplier_id").unique(maintain_order=True).head(3)
    assert_frame_equal(entries, every.filter(pl.col("supplier_id").is_in(first.implode())))


def test_findings_per_category_counted_by_the_engine_equal_the_count_over_every_finding():
    from auditor import portfolio_view

    result = sample_result()
    assert_frame_equal(portfolio_view.by_category(result.fired_per_rule()), portfolio_view.by_category(_by_hand(result).fired_per_rule()))
    whole = result.findings.group_by("category").agg(pl.len().cast(pl.Int64).alias("total")).sort("category")
    assert_frame_equal(portfolio_view.by_category(result.fired_per_rule()).select("category", "total").sort("category"), whole)


def _junit_streamed_and_whole(result: AuditResult, path) -> tuple[str, str]:
    from auditor.render import junit

    render.emit(result, render.OutputSpec("junit", path))
    return path.read_text(encoding="utf-8"), junit.render(result)


def test_a_junit_file_written_a_testcase_at_a_time_is_byte_for_byte_the_report_built_whole(tmp_path):
    streamed, whole = _junit_streamed_and_whole(sample_result(), tmp_path / "junit.xml")
    assert streamed == whole
    assert streamed.count("<failure ") > 10


def test_a_junit_file_with_suppressed_findings_and_two_input_files_is_the_report_built_whole(tmp_path):
    from auditor.audit import run_audit
    from tests.test_previous_workbook import FEES, suppliers_csv

    first = suppliers_csv(tmp_path / "a.csv", S1=FEES, S2=FEES)
    second = suppliers_csv(tmp_path / "b.csv", S3=FEES)
    result = run_audit([first, second], select=["RF"])
    result.extra["suppressed"] = {f: {"kind": "baseline"} for f in result.findings.get_column("fingerprint").head(2)}
    streamed, whole = _junit_streamed_and_whole(result, tmp_path / "junit.xml")
    assert streamed == whole
    assert streamed.count("<testsuite ") == 2 and "suppressed by baseline" in streamed


def test_a_junit_file_that_never_fails_is_the_report_built_whole(tmp_path):
    result = fresh_sample_result()
    result.fail_on = "never"
    streamed, whole = _junit_streamed_and_whole(result, tmp_path / "junit.xml")
    assert streamed == whole and "<failure " not in streamed


def test_ranked_batches_of_a_severity_nothing_raised_are_one_empty_frame_with_the_columns():
    result = sample_result()
    everything = next(ranked.ranked_batches(result))
    missing_severity = [s for s in ("critical", "high", "medium", "low") if s not in set(result.findings.get_column("severity"))]
    wanted = missing_severity or ["no-such-severity"]
    batches = list(ranked.ranked_batches(result, severities=wanted))
    assert len(batches) == 1 and batches[0].height == 0
    assert batches[0].columns == everything.columns


def test_github_annotates_no_level_with_findings_of_another(tmp_path):
    from auditor.audit import run_audit
    from auditor.render import github
    from tests.test_previous_workbook import FEES, suppliers_csv

    result = run_audit([suppliers_csv(tmp_path / "s.csv", S1=FEES, S2=FEES)], select=["RF-001"])  # high findings only
    lines = github.annotations(result)
    assert len(lines) == 2 and all(line.startswith("::error ") for line in lines)


def test_junit_on_standard_output_is_the_junit_file(tmp_path, capfdbinary):
    result = sample_result()
    render.emit(result, render.OutputSpec("junit", tmp_path / "junit.xml"))
    render.emit(result, render.OutputSpec("junit", None))
    assert capfdbinary.readouterr().out == (tmp_path / "junit.xml").read_bytes()


def test_csv_in_pieces_is_the_csv_of_every_finding_written_at_once(tmp_path, capfdbinary, monkeypatch):
    result = sample_result()
    whole = csv_report._escaped(csv_report.findings_frame(result)).write_csv()
    monkeypatch.setattr(engine, "FINDINGS_PER_BATCH_SMALL", 30)  # many batches, one header
    assert csv_report.render(result) == whole
    render.emit(result, render.OutputSpec("csv", None))
    assert capfdbinary.readouterr().out == whole.encode("utf-8")


def test_finding_counts_per_file_and_rule_from_the_engine_equal_the_counts_over_every_finding(tmp_path):
    from auditor.audit import run_audit
    from tests.test_previous_workbook import FEES, suppliers_csv

    result = run_audit([suppliers_csv(tmp_path / "a.csv", S1=FEES, S2=FEES), suppliers_csv(tmp_path / "b.csv", S3=FEES)])
    whole = ranked_findings_whole(result).group_by("file", "rule_id").agg(pl.len(), pl.col("failing").sum(), pl.col("suppressed").sum())
    assert ranked.finding_counts(result) == {(f, r): (n, failing, suppressed) for f, r, n, failing, suppressed in whole.iter_rows()}
    assert len({f for f, _ in ranked.finding_counts(result)}) == 2
