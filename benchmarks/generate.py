"""Deterministic synthetic supplier files for the benchmarks: `python -m benchmarks.generate [ROWS ...]`.

Follows the data contract (auditor/schema.py SUPPLIER_COLUMNS) with an intake sheet's human
headers. Each row gets a risk profile (clean, mixed, risky, opaque) that shapes its answers; the
mix of sectors, countries, headcounts and answers is skewed the way real supplier lists are (many
small tier-2/3 sites, a few large ones). Unknowns are spelt several ways, and a small share of cells
is messy ("45%", a bare "45", "n/a", " Yes ", "1,200", a country name instead of its code).

Outputs under benchmarks/data/: suppliers_<rows>.csv (every cell text, as typed), .parquet (typed
columns where a procurement export would type them, text where its source field is free text) and
.xlsx (up to 100k rows; openpyxl write-only). Files are cached: re-running does not rewrite them.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import polars as pl

from auditor import schema

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 20080213
SIZES = (10_000, 100_000, 1_000_000)
XLSX_MAX_ROWS = 100_000

# Human headers as a buyer's intake sheet has them: each column's first alias in the contract.
HEADERS = {c.name: (c.aliases[0] if c.aliases else c.name) for c in schema.SUPPLIER_COLUMNS}
V1_COLUMNS = 40  # the contract's first columns, generated with realistic, correlated distributions below
# Columns added to the contract since v1 get generic values by type (see _generic).
EXTRA = [c for c in schema.SUPPLIER_COLUMNS[V1_COLUMNS:]]

# (alpha-2, spelled-out name sometimes typed instead, region, legal minimum monthly wage USD, weight)
PLACES = [
    ("CN", "China", "Guangdong", 300, 22), ("IN", "India", "Tamil Nadu", 120, 14), ("BD", "Bangladesh", "Dhaka", 113, 10),
    ("VN", "Vietnam", "Binh Duong", 190, 9), ("TR", "Turkey", "Istanbul", 560, 5), ("ID", "Indonesia", "Riau", 210, 6),
    ("MY", "Malaysia", "Penang", 360, 5), ("TH", "Thailand", "Samut Sakhon", 330, 5), ("MX", "Mexico", "Jalisco", 420, 5),
    ("BR", "Brazil", "Minas Gerais", 280, 4), ("PK", "Pakistan", "Punjab", 115, 4), ("PH", "Philippines", "Cavite", 230, 3),
    ("GT", "Guatemala", "Escuintla", 400, 2), ("GH", "Ghana", "Ashanti", 60, 2), ("CI", "Côte d'Ivoire", "Soubré", 130, 2),
    ("DE", "Germany", "Niedersachsen", 2100, 2),
]
SECTORS = [
    ("apparel_textiles", ["Garments", "Cotton yarn; Textiles", "Knitwear", "Footwear"], 24),
    ("agriculture", ["Cocoa", "Coffee", "Palm fruit", "Tea", "Sugarcane"], 14), ("fishing", ["Shrimp", "Fish", "Tuna"], 4),
    ("electronics", ["Electronics", "Printed circuit boards", "Cables"], 14), ("construction", ["Bricks", "Cement blocks"], 5),
    ("mining", ["Gold", "Mica", "Cobalt ore"], 3), ("food_processing", ["Palm oil", "Dried fish", "Sugar"], 10),
    ("logistics", ["Freight services"], 9), ("cleaning_services", ["Contract cleaning"], 5),
    ("domestic_work", ["Household placement"], 1), ("hospitality", ["Hotel services", "Catering"], 5),
    ("staffing", ["Labour supply"], 6),
]
NAME_STARTS = ["Golden", "Riverside", "Sunrise", "Lotus", "Harbour", "Evergreen", "Blue Ridge", "Silver Leaf", "Crescent",
               "Highland", "Delta", "Coral", "Pioneer", "Summit", "Orchid", "Northstar", "Jade", "Meridian", "Kestrel", "Amber"]
NAME_MIDS = ["Garments", "Farms", "Seafood", "Electronics", "Builders", "Minerals", "Foods", "Logistics", "Services", "Works"]
SUFFIXES = ["Ltd", "Co.", "S.A.", "Pvt Ltd", "Sdn Bhd", "LLC", "GmbH", "JSC", "Ltda", "PT"]
PROFILES = (("clean", 0.0, 0.01, 35), ("mixed", 0.3, 0.08, 42), ("risky", 0.75, 0.05, 15), ("opaque", 0.4, 0.6, 8))
UNKNOWN_TEXT = ["", "n/a", "unknown", "-", "N/A", "TBC"]
MESSY_RATE = 0.004  # share of otherwise clean cells typed in a messy way


class Columns:
    """Builds one column at a time as (typed values, cell text) with a per-column seeded generator."""

    def __init__(self, n: int):
        self.n = n
        rng = random.Random(SEED)
        names = [p[0] for p in PROFILES]
        self.profile = rng.choices(range(len(PROFILES)), weights=[p[3] for p in PROFILES], k=n)
        self.risk = [PROFILES[p][1] for p in self.profile]
        self.unknown_rate = [PROFILES[p][2] for p in self.profile]
        self.profile_names = names

    def rng(self, column: str) -> random.Random:
        """A generator of its own per column, so columns do not shift when another changes."""
        return random.Random(f"{SEED}:{column}")

    def bad(self, rng: random.Random, scale: float = 1.0) -> list[bool]:
        """Per row: does this answer show risk? (more likely for risky profiles)."""
        return [x < r * scale for x, r in zip([rng.random() for _ in range(self.n)], self.risk)]

    def unknown_mask(self, rng: random.Random) -> list[bool]:
        return [x < u for x, u in zip([rng.random() for _ in range(self.n)], self.unknown_rate)]


def _text_bool(value: bool | None, rng: random.Random, messy: bool) -> str:
    if value is None:
        return rng.choice(UNKNOWN_TEXT)
    if messy:
        return rng.choice([" Yes " if value else " no", "TRUE" if value else "FALSE", "1" if value else "0", "maybe"])
    return rng.choice(["Yes", "yes", "Y"] if value else ["No", "no", "N"])


def _text_share(value: float | None, rng: random.Random, messy: bool) -> str:
    if value is None:
        return rng.choice(UNKNOWN_TEXT)
    if messy:
        return rng.choice([f"{value * 100:g}", f"{value * 100:g} %", "140%", "most"])
    return f"{round(value * 100)}%" if rng.random() < 0.5 else f"{value:g}"


def _text_number(value: float | None, rng: random.Random, messy: bool) -> str:
    if value is None:
        return rng.choice(UNKNOWN_TEXT)
    if messy:
        return rng.choice([f"{value:,.0f}", f"${value:g}", f"{value:g} USD", "about 300"])
    return f"{value:g}"


def _generic(spec: schema.ColumnSpec, rng: random.Random, bad: list[bool]) -> tuple[list, object]:
    """Values for a column added after v1: mostly one answer, a risky minority, by the column's type."""
    n = len(bad)
    if spec.type == "bool":
        return [b if rng.random() < 0.5 else not b for b in bad], _text_bool
    if spec.type == "fraction":
        return [rng.choice([0.1, 0.3, 0.6]) if b else 0.0 for b in bad], _text_share
    if spec.type in ("int", "number"):
        return [rng.choice([2, 5, 20, 90]) if b else rng.choice([0, 1, 12, 30]) for b in bad], _text_number
    if spec.type == "enum":
        return [rng.choice(spec.values) for _ in range(n)], lambda v, r, m: r.choice(UNKNOWN_TEXT) if v is None else v
    if spec.type == "date":
        return [dt.date(2026, 10, 1) - dt.timedelta(days=rng.randrange(1500)) for _ in range(n)], \
            lambda v, r, m: r.choice(UNKNOWN_TEXT) if v is None else v.isoformat()
    return [None] * n, lambda v, r, m: ""


def build(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(typed frame with canonical names, text frame with human headers) for n supplier sites."""
    c = Columns(n)
    typed: dict[str, list] = {}
    text: dict[str, list] = {}

    def finish(name: str, values: list, to_text, rng: random.Random, unknowns: bool = True) -> None:
        if unknowns:
            values = [None if u else v for v, u in zip(values, c.unknown_mask(rng))]
        messy = [x < MESSY_RATE for x in [rng.random() for _ in range(n)]]
        typed[name] = values
        text[name] = [to_text(v, rng, m) for v, m in zip(values, messy)]

    rng = c.rng("place")
    places = rng.choices(PLACES, weights=[p[4] for p in PLACES], k=n)
    sectors = c.rng("sector").choices(SECTORS, weights=[s[2] for s in SECTORS], k=n)
    tiers = c.rng("tier").choices([1, 2, 3, 4], weights=[20, 45, 28, 7], k=n)
    ids = [f"SUP-{i:07d}" for i in range(1, n + 1)]
    typed["supplier_id"] = text["supplier_id"] = ids
    rng = c.rng("name")
    names = [f"{a} {b} {s} {i}" for a, b, s, i in zip(rng.choices(NAME_STARTS, k=n), rng.choices(NAME_MIDS, k=n),
                                                       rng.choices(SUFFIXES, k=n), range(n))]
    typed["supplier_name"] = text["supplier_name"] = names
    rng = c.rng("country")
    typed["country"] = [p[0] for p in places]
    text["country"] = [p[1] if x < 0.15 else p[0] for p, x in zip(places, [rng.random() for _ in range(n)])]
    typed["region"] = text["region"] = [p[2] for p in places]
    rng = c.rng("sector_text")
    typed["sector"] = [s[0] for s in sectors]
    text["sector"] = [s[0].replace("_", " ").title() if x < 0.25 else s[0] for s, x in zip(sectors, [rng.random() for _ in range(n)])]
    rng = c.rng("products")
    typed["products"] = text["products"] = [rng.choice(s[1]) for s in sectors]
    typed["tier"] = tiers
    text["tier"] = [str(t) for t in tiers]
    rng = c.rng("parent")
    parents = [None if t == 1 else ids[int(x * max(i, 1))] for i, (t, x) in enumerate(zip(tiers, [rng.random() for _ in range(n)]))]
    typed["parent_supplier_id"] = parents
    text["parent_supplier_id"] = [p or "" for p in parents]

    def yesno(name: str, risky_means: bool, scale: float = 1.0) -> None:
        rng = c.rng(name)
        finish(name, [b == risky_means for b in c.bad(rng, scale)], _text_bool, rng)

    yesno("registered_business", False, 0.4)
    rng = c.rng("headcount")
    headcount = [max(1, round(rng.lognormvariate(4.6, 1.1))) for _ in range(n)]
    finish("headcount", headcount, _text_number, rng, unknowns=False)
    rng = c.rng("headcount_social_security")
    finish("headcount_social_security", [h if not b else round(h * rng.uniform(0.3, 0.95)) for h, b in zip(headcount, c.bad(rng))],
           _text_number, rng)
    for name, choices in (("share_migrant_workers", [0.0, 0.0, 0.05, 0.1, 0.35, 0.6, 0.85]),
                          ("share_agency_workers", [0.0, 0.0, 0.05, 0.2, 0.45])):
        rng = c.rng(name)
        finish(name, rng.choices(choices, k=n), _text_share, rng)
    rng = c.rng("uses_recruiters")
    staffing = {"staffing", "fishing", "electronics"}
    uses = [b or s[0] in staffing for b, s in zip(c.bad(rng, 0.9), sectors)]
    finish("uses_recruiters", uses, _text_bool, rng)
    rng = c.rng("workers_paid_recruitment_fees")
    paid = [u is not False and b for u, b in zip(typed["uses_recruiters"], c.bad(rng))]
    finish("workers_paid_recruitment_fees", paid, _text_bool, rng)
    rng = c.rng("max_recruitment_fee_usd")
    finish("max_recruitment_fee_usd", [rng.choice([150, 400, 800, 1500, 2600]) if p else 0 for p in paid], _text_number, rng)
    yesno("employer_pays_policy", False)
    rng = c.rng("share_written_contracts")
    finish("share_written_contracts", [1.0 if not b else rng.choice([0.4, 0.7, 0.9]) for b in c.bad(rng)], _text_share, rng)
    rng = c.rng("share_contracts_in_worker_language")
    finish("share_contracts_in_worker_language", [1.0 if not b else rng.choice([0.3, 0.6, 0.8]) for b in c.bad(rng)], _text_share, rng)
    yesno("contract_substitution_found", True, 0.3)
    for name, choices in (("share_documents_held_by_employer", [0.05, 0.3, 0.9]), ("share_workers_in_debt_to_employer", [0.1, 0.25, 0.5])):
        rng = c.rng(name)
        finish(name, [0.0 if not b else rng.choice(choices) for b in c.bad(rng, 0.5)], _text_share, rng)
    rng = c.rng("wages")
    wages = [round(p[3] * (rng.uniform(0.7, 0.98) if b else rng.uniform(1.0, 1.6))) for p, b in zip(places, c.bad(rng, 0.5))]
    finish("lowest_monthly_wage_usd", wages, _text_number, rng)
    rng = c.rng("legal_min_monthly_wage_usd")
    finish("legal_min_monthly_wage_usd", [p[3] for p in places], _text_number, rng)
    rng = c.rng("avg_weekly_hours")
    finish("avg_weekly_hours", [rng.choice([52, 58, 63]) if b else rng.choice([40, 44, 46, 48]) for b in c.bad(rng)], _text_number, rng)
    rng = c.rng("max_weekly_hours")
    finish("max_weekly_hours", [rng.choice([66, 72, 84]) if b else rng.choice([48, 54, 58, 60]) for b in c.bad(rng)], _text_number, rng)
    yesno("weekly_rest_day", False, 0.5)
    yesno("free_to_leave_premises", False, 0.3)
    yesno("threats_or_violence_reported", True, 0.2)
    rng = c.rng("min_worker_age")
    finish("min_worker_age", [rng.choice([14, 15, 16, 17]) if b else rng.choice([18, 19, 20]) for b in c.bad(rng, 0.3)], _text_number, rng)
    yesno("independent_union", False, 1.5)
    yesno("collective_agreement", False, 1.7)
    yesno("grievance_channel_anonymous", False)
    rng = c.rng("homeworkers_or_outworkers")
    finish("homeworkers_or_outworkers", [s[0] in ("apparel_textiles", "agriculture") and b for s, b in zip(sectors, c.bad(rng, 0.6))],
           _text_bool, rng)
    yesno("subcontractors_disclosed", False)
    yesno("unauthorised_subcontracting", True, 0.3)
    rng = c.rng("last_audit_date")
    today = dt.date(2026, 10, 1)
    dates = [today - dt.timedelta(days=int(rng.expovariate(1 / 500))) for _ in range(n)]
    finish("last_audit_date", dates,
           lambda v, r, m: r.choice(UNKNOWN_TEXT) if v is None else (v.strftime("%d %B %Y") if m else v.isoformat()), rng)
    rng = c.rng("last_audit_type")
    finish("last_audit_type", [rng.choice(["announced", "self_assessment", "none"]) if b else rng.choice(["unannounced", "announced"])
                               for b in c.bad(rng)], lambda v, r, m: r.choice(UNKNOWN_TEXT) if v is None else (v.title() if m else v), rng)
    yesno("worker_interviews_offsite", False)
    yesno("code_of_conduct_signed", False, 0.3)

    for spec in EXTRA:
        rng = c.rng(spec.name)
        values, to_text = _generic(spec, rng, c.bad(rng, 0.5))
        finish(spec.name, values, to_text, rng)

    types = {s.name: schema.POLARS_TYPES[s.type] for s in schema.SUPPLIER_COLUMNS}
    typed_frame = pl.DataFrame({k: typed[k] for k in HEADERS}, schema=types)
    text_frame = pl.DataFrame({HEADERS[k]: text[k] for k in HEADERS}, schema={HEADERS[k]: pl.String for k in HEADERS})
    return typed_frame, text_frame


def parquet_frame(typed: pl.DataFrame, text: pl.DataFrame) -> pl.DataFrame:
    """A procurement export: typed columns, except free-text survey answers kept as typed in the form."""
    free_text = {"share_agency_workers", "max_recruitment_fee_usd", "workers_paid_recruitment_fees", "last_audit_type", "country", "sector"}
    return typed.with_columns(text.get_column(HEADERS[name]).alias(name) for name in free_text)


def write_xlsx(text: pl.DataFrame, path: Path) -> None:
    """A Suppliers sheet with cells as a person types them: numbers as numbers, the rest as text."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Suppliers")
    ws.append(text.columns)
    date_col = text.columns.index(HEADERS["last_audit_date"])
    for row in text.iter_rows():
        out = []
        for i, value in enumerate(row):
            if value and i == date_col and len(value) == 10 and value[4] == "-":
                out.append(dt.date.fromisoformat(value))  # a real date cell, as Excel stores typed dates
                continue
            try:
                out.append(float(value) if value and value[0] in "0123456789" and "-" not in value else value)
            except ValueError:
                out.append(value)
        ws.append(out)  # no generated text starts with "=", so nothing here can become a formula
    wb.save(path)


def paths(n: int) -> dict[str, Path]:
    """Where the files for n rows live."""
    return {fmt: DATA / f"suppliers_{n}.{fmt}" for fmt in ("csv", "parquet", "xlsx") if fmt != "xlsx" or n <= XLSX_MAX_ROWS}


def ensure(n: int, *, force: bool = False) -> dict[str, Path]:
    """Write the files for n rows unless they exist already."""
    DATA.mkdir(parents=True, exist_ok=True)
    targets = paths(n)
    if not force and all(p.exists() for p in targets.values()):
        return targets
    typed, text = build(n)
    text.write_csv(targets["csv"])
    parquet_frame(typed, text).write_parquet(targets["parquet"])
    if "xlsx" in targets:
        write_xlsx(text, targets["xlsx"])
    return targets


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    for size in sizes:
        for fmt, path in ensure(size).items():
            print(f"{size:>9} rows {fmt:<8} {path} ({path.stat().st_size / 1e6:.1f} MB)")
