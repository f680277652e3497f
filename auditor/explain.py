"""One supplier's score taken apart: every contribution with its rule, evidence, citation and source,
and the missing data whose answer would raise confidence most (`auditor explain`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from auditor.citations import label as cite_label
from auditor.errors import ConfigError
from auditor.scoring import DIMENSIONS, TIERS, ScoreModel

if TYPE_CHECKING:
    from auditor.audit import AuditResult
    from auditor.rules import CompiledRule

DIMENSION_LABELS = {"indicators": "indicators", "control_gaps": "control gaps", "exposure": "exposure", "evidence_quality": "evidence quality"}


@dataclass
class Explanation:
    """The decomposition of one supplier's score."""

    supplier: dict[str, Any]
    suppliers_ranked: int
    tier_reason: str
    contributions: list[dict[str, Any]]  # points add up to the score (before the 100 cap)
    missing: list[dict[str, Any]]  # columns whose answer would raise confidence most, best first
    policy: dict[str, Any]


def citations(rule: CompiledRule) -> list[dict[str, Any]]:
    """A rule's citations as plain data."""
    return [{"source": c.source, "paragraph": c.paragraph, "quote": c.quote} for c in rule.rule.cite]


def _citation_text(cite: dict[str, Any]) -> str:
    where = cite_label(cite["source"], cite["paragraph"])
    return f"{where}: “{cite['quote']}”"


def missing_data_gain(not_evaluable: pl.DataFrame, points: pl.DataFrame, rules: dict[str, CompiledRule], unknown_weight: float) -> pl.DataFrame:
    """Per missing column: confidence gained by answering it alone, rules it unlocks, and the score range once known.

    A rule whose only missing input is the column becomes evaluable (its severity weight moves to
    the known side); a rule that also needs other columns is listed as `also_needed_for`.
    """
    total = float(points.get_column("sev_weight").sum()) or 1.0
    rows = not_evaluable.select("rule_id", "missing").join(points.select("rule_id", "sev_weight", "points"), on="rule_id")
    rows = rows.with_columns(pl.col("missing").list.len().alias("_n")).explode("missing").drop_nulls("missing")
    if rows.is_empty():
        return pl.DataFrame(schema={"column": pl.String, "confidence_gain": pl.Float64, "unlocks": pl.List(pl.String),
                                    "also_needed_for": pl.List(pl.String), "score_down": pl.Float64, "score_up": pl.Float64,
                                    "ask_for": pl.List(pl.String)})
    alone = pl.col("_n") == 1
    gain = (
        rows.group_by(pl.col("missing").alias("column"))
        .agg(
            (pl.col("sev_weight").filter(alone).sum() / total).round(3).alias("confidence_gain"),
            pl.col("rule_id").filter(alone).sort().alias("unlocks"),
            pl.col("rule_id").filter(~alone).sort().alias("also_needed_for"),
            (-unknown_weight * pl.col("points").filter(alone).sum()).round(1).alias("score_down"),
            ((1 - unknown_weight) * pl.col("points").filter(alone).sum()).round(1).alias("score_up"),
        )
        .sort(["confidence_gain", "column"], descending=[True, False])
    )
    asks = {rid: c.rule.ask_for for rid, c in rules.items() if c.rule.ask_for}
    return gain.with_columns(
        pl.concat_list("unlocks", "also_needed_for").list.eval(pl.element().replace_strict(asks, default=None)).list.drop_nulls().list.unique(maintain_order=True).alias("ask_for")
    )


def _tier_reason(row: dict[str, Any], model: ScoreModel, own: pl.DataFrame) -> str:
    config = model.config
    crit = own.filter((pl.col("status") == "finding") & (pl.col("kind") == "indicator") & (pl.col("severity") == "critical"))
    if row["tier"] == "critical" and not crit.is_empty():
        return f"critical indicator found: {', '.join(crit.get_column('rule_id').to_list())} (overrides the score)"
    high = own.filter((pl.col("status") == "finding") & (pl.col("kind") == "indicator") & (pl.col("severity") == "high"))
    reasons = []
    if not high.is_empty():
        reasons.append(f"high indicator found: {', '.join(high.get_column('rule_id').to_list())}")
    if row["score"] >= config.high_cutoff:
        reasons.append(f"score ≥ high cut-off {config.high_cutoff:g}")
    if row["inherited_critical"] and TIERS.index(config.inherited_critical_tier) <= TIERS.index(row["tier"]):
        reasons.append(f"critical indicator in its supply chain lifts it to at least {config.inherited_critical_tier}")
    if row["tier"] in ("critical", "high") and reasons:
        return "; ".join(reasons)
    if row["tier"] == "medium":
        return f"score ≥ medium cut-off {config.medium_cutoff:g}" + (f"; {'; '.join(reasons)}" if reasons else "")
    return f"score below medium cut-off {config.medium_cutoff:g}, no critical or high indicator"


def explain(result: AuditResult, supplier_id: str) -> Explanation:
    """Decompose one supplier's score from an audit result."""
    model: ScoreModel = result.extra["scoring"]
    matches = model.suppliers.filter(pl.col("supplier_id") == supplier_id)
    if matches.is_empty():
        near = model.suppliers.filter(pl.col("supplier_id").str.to_lowercase() == supplier_id.lower())
        hint = f" (did you mean {near.item(0, 'supplier_id')}?)" if not near.is_empty() else ""
        raise ConfigError(f"no supplier {supplier_id!r} among the {model.suppliers.height} suppliers assessed{hint}")
    row = matches.row(0, named=True)
    rules = {c.id: c for c in result.rules}
    contributions = model.contributions_of(supplier_id).sort(
        ["points", "rule_id", "source_type"], descending=[True, False, False]
    )
    own = contributions.filter(pl.col("source_type") == "own")

    own_findings = result.evaluation.findings_of([supplier_id])
    by_rule = {r["rule_id"]: r for r in own_findings.iter_rows(named=True)}
    unknown = result.evaluation.not_evaluable_of([supplier_id])
    missing_by_rule = {r["rule_id"]: r["missing"] for r in unknown.iter_rows(named=True)}
    others = model.inherited_sources(supplier_id)
    # Only the findings of the sources this supplier inherits from: across a portfolio these are millions.
    inherited_ids = contributions.filter(pl.col("status") == "inherited").get_column("source_id").unique().to_list()
    own_of_sources = result.evaluation.findings_of(inherited_ids)
    sources = pl.concat([own_of_sources, model.recruiter_findings.cast(own_of_sources.schema)], how="vertical")

    items = []
    for c in contributions.iter_rows(named=True):
        rule = rules[c["rule_id"]]
        item = {
            "rule_id": c["rule_id"], "title": rule.rule.title, "kind": c["kind"], "severity": c["severity"],
            "dimension": c["dimension"], "status": c["status"], "points": round(c["points"], 2),
            "max_points": round(c["max_points"], 2), "factor": round(c["factor"], 3), "citations": citations(rule),
        }
        if c["status"] == "finding":
            f = by_rule[c["rule_id"]]
            item |= {"message": f["message"], "evidence": json.loads(f["evidence"]),
                     "source": {"file": f["file"], "sheet": f["sheet"], "row": f["row"], "cell": f["cell"]}}
        elif c["status"] == "unknown":
            item |= {"missing": missing_by_rule.get(c["rule_id"], []), "ask_for": rule.rule.ask_for}
        else:
            f = sources.filter((pl.col("supplier_id") == c["source_id"]) & (pl.col("rule_id") == c["rule_id"])).row(0, named=True)
            also = others.filter((pl.col("rule_id") == c["rule_id"]) & (pl.col("source_id") != c["source_id"])).get_column("source_id").to_list()
            shared_with = []
            if c["source_type"] == "recruiter":
                users = model.recruiter_inherited.filter(pl.col("source_id") == c["source_id"]).get_column("supplier_id")
                shared_with = sorted(set(users.to_list()) - {supplier_id})
            item |= {"inherited_from": {"type": c["source_type"], "id": c["source_id"], "depth": c["depth"], "shared_with": shared_with},
                     "message": f["message"], "evidence": json.loads(f["evidence"]),
                     "source": {"file": f["file"], "sheet": f["sheet"], "row": f["row"], "cell": f["cell"]},
                     "also_reported_by": also}
        items.append(item)

    gain = missing_data_gain(unknown, model.points, rules, model.config.unknown_weight)
    config = model.config
    return Explanation(
        supplier=row, suppliers_ranked=model.suppliers.height, tier_reason=_tier_reason(row, model, own),
        contributions=items, missing=gain.to_dicts(),
        policy={"missing_data": config.missing_data, "unknown_weight": config.unknown_weight, "tier_decay": config.tier_decay,
                "recruiter_factor": config.recruiter_factor, "high_cutoff": config.high_cutoff, "medium_cutoff": config.medium_cutoff},
    )


def as_dict(explanation: Explanation) -> dict[str, Any]:
    """The explanation as plain data (for --json)."""
    keep = ("rank", "supplier_id", "supplier_name", "country", "sector", "supply_chain_tier", "parent_supplier_id", "tier", "score",
            "score_own", "score_inherited", *DIMENSIONS.values(), "confidence", "findings", "not_evaluable", "inherited_from")
    return {
        "supplier": {k: explanation.supplier[k] for k in keep},
        "suppliers_ranked": explanation.suppliers_ranked,
        "tier_reason": explanation.tier_reason,
        "policy": explanation.policy,
        "contributions": explanation.contributions,
        "missing_data": explanation.missing,
    }


def _value(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_text(explanation: Explanation, missing_limit: int = 8) -> str:
    """The explanation as plain text: header, contributions (they add up to the score), missing data."""
    s = explanation.supplier
    where = ", ".join(str(x) for x in (s["country"], s["sector"]) if x)
    chain = f"supply-chain tier {s['supply_chain_tier']}" if s["supply_chain_tier"] is not None else "supply-chain tier unknown"
    if s["parent_supplier_id"]:
        chain += f", supplies {s['parent_supplier_id']}"
    lines = [
        f"{s['supplier_id']}  {s['supplier_name']}  ({where}; {chain})",
        f"rank {s['rank']} of {explanation.suppliers_ranked} · risk tier {s['tier']}: {explanation.tier_reason}",
        f"score {s['score']:.1f} = own {s['score_own']:.1f} + inherited {s['score_inherited']:.1f}"
        f"  ·  confidence {s['confidence']:.0%} ({s['not_evaluable']} rule(s) not evaluable)",
        "sub-scores (0–100 of each dimension, own findings only): "
        + " · ".join(f"{DIMENSION_LABELS[d]} {s[d]:.1f}" if s[d] is not None else f"{DIMENSION_LABELS[d]} n/a (no rules)" for d in DIMENSIONS.values()),
        f"missing-data policy: {explanation.policy['missing_data']} (an unknown rule counts {explanation.policy['unknown_weight']:.0%} of its points)",
        "",
    ]
    if not explanation.contributions:
        lines.append("no contributions: every rule was evaluated and none raised a finding (verified clean).")
    else:
        lines.append("contributions (points add up to the score):")
    for c in explanation.contributions:
        label = {"finding": "finding", "unknown": "unknown", "inherited": "inherited"}[c["status"]]
        lines.append(f"  +{c['points']:5.2f} of {c['max_points']:5.2f}  {c['rule_id']:<8} {c['kind']}/{c['severity']}  {label}: {c['title']}")
        if c["status"] == "unknown":
            lines.append(f"           missing: {', '.join(c['missing']) or '—'} (counts {c['factor']:.0%} of the rule's points)")
            if c.get("ask_for"):
                lines.append(f"           ask for: {c['ask_for']}")
        else:
            if c["status"] == "inherited":
                src = c["inherited_from"]
                how = f"{src['depth']} tier(s) below" if src["type"] == "sub-tier" else f"a recruiter it shares with {', '.join(src['shared_with'])}"
                lines.append(f"           inherited from {src['id']} ({how}; counts {c['factor']:.0%} of the rule's points)")
                if c["also_reported_by"]:
                    lines.append(f"           also reported by: {', '.join(c['also_reported_by'])}")
            lines.append(f"           {c['message']}")
            evidence = ", ".join(f"{k} = {_value(v)}" for k, v in c["evidence"].items())
            src = c["source"]
            lines.append(f"           evidence: {evidence or '—'}  [{src['file']} · {src['sheet'] or ''} · {src['cell']}]")
        for cite in c["citations"]:
            lines.append(f"           cite: {_citation_text(cite)}")
    lines.append("")
    if explanation.missing:
        lines.append("missing data that would raise confidence most:")
        for m in explanation.missing[:missing_limit]:
            effect = f"+{m['confidence_gain']:.1%} confidence" if m["confidence_gain"] else "needed with other columns"
            rng = f"; score {m['score_down']:+.1f} … {m['score_up']:+.1f} once known" if m["unlocks"] else ""
            rules = ", ".join(m["unlocks"] + m["also_needed_for"])
            lines.append(f"  {m['column']:<36} {effect} ({rules}{rng})")
            for ask in m["ask_for"]:
                lines.append(f"  {'':<36} ask for: {ask}")
    else:
        lines.append("missing data: none — every rule could be evaluated.")
    return "\n".join(lines) + "\n"
