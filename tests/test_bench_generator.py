"""The benchmark generator follows the data contract and is deterministic."""

from __future__ import annotations

import polars as pl
import pytest

from auditor import audit, engine, load, rules, schema
from benchmarks import generate


def test_generator_is_deterministic():
    typed_a, text_a = generate.build(300)
    typed_b, text_b = generate.build(300)
    assert typed_a.equals(typed_b) and text_a.equals(text_b)


def test_generated_headers_all_map_to_the_contract():
    _, text = generate.build(50)
    index = schema.header_index("suppliers")
    assert [index[schema.normalise_header(h)] for h in text.columns] == [c.name for c in schema.SUPPLIER_COLUMNS]


def test_generated_cells_include_unknowns_and_messy_values():
    _, text = generate.build(2000)
    cells = set(text.get_column("Migrant Workers %").to_list())
    assert {"n/a", "unknown"} & cells
    assert any(c and c.endswith("%") for c in cells)
    assert len(set(text.get_column("Supplier ID").to_list())) == 2000


# ── the columns added after v1: a generator each, realistic and consistent answers ───────────────

N = 4000


@pytest.fixture(scope="module")
def portfolio() -> pl.DataFrame:
    """N generated suppliers, typed, with each one's risk profile."""
    typed, _ = generate.build(N)
    columns = generate.Columns(N)
    return typed.with_columns(profile=pl.Series([columns.profile_names[p] for p in columns.profile]))


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[pl.DataFrame, pl.DataFrame, list]:
    """The bundled rules run over N generated suppliers: (findings with each supplier's profile, rule counts, rules)."""
    path = tmp_path_factory.mktemp("bench") / "suppliers.csv"
    generate.build(N)[1].write_csv(path)
    columns = generate.Columns(N)
    profiles = pl.DataFrame({"supplier_id": [f"SUP-{i:07d}" for i in range(1, N + 1)],
                             "profile": [columns.profile_names[p] for p in columns.profile]})
    compiled = rules.load_rules(audit.default_rules_dirs())
    loaded = load.load([path])
    evaluation = engine.evaluate(loaded.suppliers, compiled, loaded.letters)
    return evaluation.findings.join(profiles, on="supplier_id"), evaluation.rule_counts, compiled


def test_every_post_v1_column_has_a_generator_of_its_own():
    assert sorted(generate.POST_V1) == sorted(c.name for c in generate.EXTRA)


# (column, the answer that shows risk): conduct questions the supplier's profile should drive
RISKY_ANSWERS = [
    ("wages_withheld_or_delayed", lambda v: v is True),
    ("unlawful_wage_deductions", lambda v: v is True),
    ("overtime_voluntary", lambda v: v is False),
    ("gbv_harassment_policy", lambda v: v is False),
    ("workers_allowed_personal_phones", lambda v: v is False),
    ("resignation_penalty", lambda v: v is True),
    ("workers_hold_contract_copy", lambda v: v is False),
    ("recruitment_chain_layers", lambda v: v is not None and v > 1),
    ("adverse_finding_status", lambda v: v not in (None, "none")),
    ("audit_interpreter", lambda v: v in ("supplier_staff", "recruiter_staff", "co_worker")),
]


@pytest.mark.parametrize(("column", "risky"), RISKY_ANSWERS, ids=[c for c, _ in RISKY_ANSWERS])
def test_risky_answers_are_more_frequent_for_risky_than_for_clean_suppliers(portfolio, column, risky):
    def rate(profile: str) -> float:
        values = portfolio.filter(pl.col("profile") == profile).get_column(column).to_list()
        return sum(map(risky, values)) / len(values)

    assert rate("risky") > rate("mixed") > rate("clean")
    assert rate("clean") < 0.1


def test_payroll_headcount_follows_headcount_except_where_workers_are_off_the_books(portfolio):
    known = portfolio.filter(pl.col("headcount_payroll").is_not_null())
    payroll, headcount = known.get_column("headcount_payroll"), known.get_column("headcount")
    close = (payroll - headcount).abs() <= 0.05 * headcount + 0.5  # joiners and leavers, rounded to whole workers
    assert close.sum() > known.height / 2
    assert (close | (payroll < 0.9 * headcount)).all()  # off-payroll workers make it shorter, never longer
    assert close.filter(known.get_column("profile") == "clean").all()


def test_remediation_details_are_blank_where_no_remediation_is_under_way(portfolio):
    idle = portfolio.filter(pl.col("remediation_action") == "none")
    assert idle.height > N // 2
    for column in ("worker_impact_assessed", "remediation_followup_months", "workers_consulted_on_remediation"):
        assert idle.get_column(column).null_count() == idle.height, column


def test_housing_standards_are_asked_only_where_the_employer_houses_workers(portfolio):
    unhoused = portfolio.filter(pl.col("employer_provided_housing") == False)  # noqa: E712 (a polars comparison)
    assert unhoused.height > 0 and unhoused.get_column("housing_meets_standards").null_count() == unhoused.height


def test_unit_questions_are_blank_for_services_and_consistent_for_goods(portfolio):
    services = portfolio.filter(~pl.col("sector").is_in(list(generate.GOODS_SECTORS)))
    assert services.get_column("unit_price_usd").null_count() == services.height
    goods = portfolio.filter(pl.col("monthly_capacity_units").is_not_null() & pl.col("labour_minutes_per_unit").is_not_null())
    # capacity = headcount × regular minutes a month × efficiency (0.5–0.8) ÷ minutes per unit, to three figures
    efficiency = goods.get_column("monthly_capacity_units") * goods.get_column("labour_minutes_per_unit") \
        / (goods.get_column("headcount") * generate.MINUTES_PER_MONTH)
    assert efficiency.min() > 0.45 and efficiency.max() < 0.85


def test_legal_minimum_working_age_is_the_country_one(portfolio):
    known = portfolio.filter(pl.col("legal_min_working_age").is_not_null())
    assert all(generate.LEGAL_MIN_AGE[c] == a for c, a in known.select("country", "legal_min_working_age").iter_rows())


def test_every_rule_reading_a_post_v1_column_fires_for_some_suppliers(audited):
    _, counts, compiled = audited
    extra = {c.name for c in generate.EXTRA}
    fired = dict(counts.select("rule_id", "fired").iter_rows())
    reading = [r.rule.id for r in compiled if extra & set(r.columns)]
    assert reading and [rule for rule in reading if not fired.get(rule)] == []


def test_clean_suppliers_raise_mostly_exposure_findings(audited):
    findings, _, _ = audited
    clean = findings.filter(pl.col("profile") == "clean")
    share = clean.get_column("kind").value_counts(normalize=True)
    exposure = share.filter(pl.col("kind") == "exposure").get_column("proportion").item()
    assert exposure > 0.6
    assert clean.filter(pl.col("kind") == "indicator").height < 0.05 * clean.height


def test_risky_suppliers_raise_far_more_findings_than_clean_ones(audited):
    findings, _, _ = audited
    per_supplier = findings.group_by("profile").agg(pl.len() / pl.col("supplier_id").n_unique())
    mean = dict(per_supplier.iter_rows())
    assert mean["risky"] > 3 * mean["clean"]


def test_cached_inputs_made_by_another_generator_are_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "DATA", tmp_path)
    first = generate.ensure(40)
    first["csv"].write_text("stale\n")
    assert generate.ensure(40)["csv"].read_text() == "stale\n"  # same generator: the cache is kept
    (tmp_path / "suppliers_40.stamp").write_text("an older generator\n")
    assert generate.ensure(40)["csv"].read_text().startswith("Supplier ID")


def test_every_sub_tier_site_supplies_a_site_one_tier_up():
    typed, _ = generate.build(3000)
    links = typed.select("supplier_id", "tier", "parent_supplier_id")
    joined = links.join(links.select(pl.col("supplier_id").alias("parent_supplier_id"), pl.col("tier").alias("parent_tier")),
                        on="parent_supplier_id", how="inner")
    assert joined.height > 2000  # most sub-tier sites are linked
    assert (joined.get_column("parent_tier") == joined.get_column("tier") - 1).all()
    assert links.filter(pl.col("tier") == 1).get_column("parent_supplier_id").is_null().all()
