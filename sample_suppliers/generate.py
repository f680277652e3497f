"""Generate the synthetic sample workbook: `python sample_suppliers/generate.py`.

Deterministic (fixed seed): the same workbook every run. Suppliers, names and answers are
invented; the mix of sectors, countries and answers is built so every bundled rule fires for some
suppliers and stays silent for others, with unknowns and messy cells as real intake sheets have.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
SEED = 20080213  # the Vienna Forum opened on 13 February 2008

# Human headers, as a buyer's intake sheet would have them (matched through the contract's aliases).
HEADERS = {
    "supplier_id": "Supplier ID", "supplier_name": "Supplier Name", "country": "Country", "region": "Region",
    "sector": "Sector", "products": "Products", "tier": "Tier", "parent_supplier_id": "Parent Supplier ID",
    "registered_business": "Registered Business", "headcount": "Headcount",
    "headcount_social_security": "Workers with Social Security", "share_migrant_workers": "Migrant Workers %",
    "share_agency_workers": "Agency Workers %", "uses_recruiters": "Uses Recruiters",
    "workers_paid_recruitment_fees": "Recruitment fees paid by workers?", "max_recruitment_fee_usd": "Max Recruitment Fee (USD)",
    "employer_pays_policy": "Employer Pays Policy", "share_written_contracts": "Written Contracts %",
    "share_contracts_in_worker_language": "Contracts in Worker Language %", "contract_substitution_found": "Contract Substitution Found",
    "share_documents_held_by_employer": "Documents Held by Employer %", "share_workers_in_debt_to_employer": "Workers in Debt %",
    "lowest_monthly_wage_usd": "Lowest Monthly Wage (USD)", "legal_min_monthly_wage_usd": "Legal Minimum Wage (USD)",
    "avg_weekly_hours": "Average Weekly Hours", "max_weekly_hours": "Max Weekly Hours", "weekly_rest_day": "Weekly Rest Day",
    "free_to_leave_premises": "Free to Leave Premises", "threats_or_violence_reported": "Threats or Violence Reported",
    "min_worker_age": "Youngest Worker Age", "independent_union": "Independent Union", "collective_agreement": "Collective Agreement",
    "grievance_channel_anonymous": "Anonymous Grievance Channel", "homeworkers_or_outworkers": "Homeworkers or Outworkers",
    "subcontractors_disclosed": "Subcontractors Disclosed", "unauthorised_subcontracting": "Unauthorised Subcontracting",
    "last_audit_date": "Last Audit Date", "last_audit_type": "Last Audit Type", "worker_interviews_offsite": "Offsite Worker Interviews",
    "code_of_conduct_signed": "Code of Conduct Signed",
    # v1 additions: rules A
    "recruitment_related_costs_charged": "Related Costs Paid by Workers?", "recruitment_chain_layers": "Recruitment Chain Layers",
    "workers_hold_contract_copy": "Workers Hold Contract Copy", "headcount_payroll": "Payroll Headcount",
    "share_workers_irregular_status": "Irregular Status Workers %", "work_permit_tied_to_employer": "Employer-tied Work Permits?",
    "share_refugee_asylum_stateless": "Refugee/Asylum/Stateless Workers %",
    "grievance_channel_in_worker_languages": "Grievance Channel in Worker Languages", "gbv_harassment_policy": "Harassment Policy",
    "legal_min_working_age": "Legal Minimum Working Age", "young_worker_protections": "Young Worker Protections",
    "age_verification_procedure": "Age Verified at Hiring?", "lockable_document_storage": "Lockable Document Storage",
    "debt_repaid_by_wage_deduction": "Debt Deducted from Wages?", "wages_withheld_or_delayed": "Wages Withheld or Delayed",
    "unlawful_wage_deductions": "Unlawful Deductions?", "overtime_voluntary": "Voluntary Overtime?",
    "workers_allowed_personal_phones": "Personal Phones Allowed?", "employer_provided_housing": "Employer Provided Housing",
    "housing_meets_standards": "Housing Meets Standards", "informal_recruitment_channels": "Hired via Informal Channels?",
    "child_remediation_procedure": "Child Labour Remediation Procedure?", "resignation_penalty": "Penalty for Resigning?",
}
# v1 additions: rules B (appended in one block; values from add_columns_rules_b)
HEADERS |= {
    "tourism_child_protection_code": "Tourism Child Protection Code", "inputs_traced_to_origin": "Inputs Traced to Origin",
    "monthly_order_units": "Monthly Order Units", "monthly_capacity_units": "Monthly Capacity Units",
    "labour_inspection_recent": "Labour Inspection Recent", "crisis_affected_area": "Crisis Affected Area",
    "all_workers_can_join_representation": "All Workers Can Join Representation",
    "facilitation_payments_reported": "Facilitation Payments Reported", "permit_agent_used": "Permit Agent Used",
    "recruiter_selection_documented": "Recruiter Selection Documented", "audit_interpreter": "Audit Interpreter",
    "audit_scope_recruiters_housing": "Audit Scope Recruiters and Housing", "auditor_forced_labour_trained": "Auditor Forced Labour Trained",
    "management_trained_forced_labour": "Management Trained on Forced Labour", "adverse_finding_status": "Adverse Finding Status",
    "anti_trafficking_clause": "Anti-Trafficking Clause", "site_access_refused": "Site Access Refused",
    "unit_price_usd": "Unit Price (USD)", "labour_minutes_per_unit": "Labour Minutes per Unit",
    "order_lead_time_days": "Order Lead Time (days)", "supplier_min_lead_time_days": "Supplier Minimum Lead Time (days)",
    "remediation_action": "Remediation Action", "worker_impact_assessed": "Worker Impact Assessed",
    "remediation_followup_months": "Remediation Follow-up (months)", "victim_referral_partner": "Victim Referral Partner",
    "grievances_received_12m": "Grievances Received (12 months)", "workers_consulted_on_remediation": "Workers Consulted on Remediation",
}

# (country, region, legal minimum monthly wage in USD: rounded, illustrative figures for the sample)
PLACES = [
    ("BD", "Dhaka", 113), ("IN", "Tamil Nadu", 120), ("VN", "Binh Duong", 190), ("CN", "Guangdong", 300),
    ("TH", "Samut Sakhon", 330), ("MY", "Penang", 360), ("TR", "Istanbul", 560), ("MX", "Jalisco", 420),
    ("GT", "Escuintla", 400), ("BR", "Minas Gerais", 280), ("GH", "Ashanti", 60), ("CI", "Soubré", 130),
    ("ID", "Riau", 210), ("PK", "Punjab", 115), ("PH", "Cavite", 230), ("DE", "Niedersachsen", 2100),
]
SECTORS = [
    ("apparel_textiles", ["Garments", "Cotton yarn; Textiles", "Knitwear", "Footwear"], ["Garments", "Knits", "Textile Mills", "Apparel"]),
    ("agriculture", ["Cocoa", "Coffee", "Palm fruit", "Tea", "Sugarcane"], ["Farms", "Plantation", "Estates", "Growers"]),
    ("fishing", ["Shrimp", "Fish", "Tuna"], ["Seafood", "Fisheries", "Marine Products"]),
    ("electronics", ["Electronics", "Printed circuit boards", "Cables"], ["Electronics", "Components", "Circuits"]),
    ("construction", ["Bricks", "Cement blocks"], ["Construction", "Builders", "Brick Works"]),
    ("mining", ["Gold", "Mica", "Cobalt ore"], ["Mining", "Minerals", "Resources"]),
    ("food_processing", ["Palm oil", "Dried fish", "Sugar"], ["Foods", "Processing", "Packers"]),
    ("logistics", ["Freight services"], ["Logistics", "Freight", "Transport"]),
    ("cleaning_services", ["Contract cleaning"], ["Cleaning Services", "Facility Care"]),
    ("domestic_work", ["Household placement"], ["Home Care Placement", "Domestic Staffing"]),
    ("hospitality", ["Hotel services", "Catering"], ["Hotels", "Catering"]),
    ("staffing", ["Labour supply"], ["Manpower", "Staffing", "Labour Services"]),
]
NAME_STARTS = ["Golden", "Riverside", "Sunrise", "Lotus", "Harbour", "Evergreen", "Blue Ridge", "Silver Leaf", "Crescent",
               "Highland", "Delta", "Coral", "Pioneer", "Summit", "Orchid", "Northstar", "Jade", "Meridian", "Kestrel", "Amber"]
SUFFIXES = ["Ltd", "Co.", "S.A.", "Pvt Ltd", "Sdn Bhd", "LLC", "GmbH", "JSC", "Ltda", "PT"]

UNKNOWN_SPELLINGS = ["n/a", "", "unknown", "-", None]


class Writer:
    """Writes an answer the way people type them: mixed spellings, percentages, some unknowns."""

    def __init__(self, rng: random.Random, unknown_rate: float):
        self.rng = rng
        self.unknown_rate = unknown_rate

    def unknown(self) -> bool:
        return self.rng.random() < self.unknown_rate

    def blank(self):
        return self.rng.choice(UNKNOWN_SPELLINGS)

    def yesno(self, value: bool):
        if self.unknown():
            return self.blank()
        return self.rng.choice([value, "Yes" if value else "No", "yes" if value else "no", "Y" if value else "N"])

    def share(self, value: float):
        if self.unknown():
            return self.blank()
        return self.rng.choice([round(value, 2), f"{round(value * 100)}%"])

    def number(self, value: float):
        return self.blank() if self.unknown() else value


def supplier_rows(rng: random.Random) -> list[dict]:
    """Fifty supplier sites with risk profiles: clean, mixed, high-risk and mostly unknown."""
    rows: list[dict] = []
    profiles = ["clean"] * 12 + ["mixed"] * 20 + ["risky"] * 12 + ["opaque"] * 6
    rng.shuffle(profiles)
    for i, profile in enumerate(profiles, 1):
        country, region, min_wage = PLACES[(i * 7) % len(PLACES)]
        sector, products, name_parts = SECTORS[i % len(SECTORS)]
        risky = {"clean": 0.0, "mixed": 0.35, "risky": 0.8, "opaque": 0.4}[profile]
        w = Writer(rng, {"clean": 0.0, "mixed": 0.08, "risky": 0.05, "opaque": 0.7}[profile])
        bad = lambda p=risky: rng.random() < p  # noqa: E731
        headcount = rng.choice([35, 80, 140, 260, 420, 900, 1500, 2400])
        tier = 1 if i <= 26 else (2 if i <= 42 else 3)
        parents = [r["supplier_id"] for r in rows if r["tier"] == tier - 1]
        uses_recruiters = bad(0.9 if profile == "risky" else 0.5) or sector in ("staffing", "fishing", "electronics")
        paid_fees = uses_recruiters and bad()
        fee = rng.choice([150, 400, 800, 1500, 2600]) if paid_fees else 0
        wage = round(min_wage * (rng.uniform(0.7, 0.98) if bad(risky / 2) else rng.uniform(1.0, 1.6)))
        row = {
            "supplier_id": f"SUP-{i:04d}",
            "supplier_name": f"{NAME_STARTS[i % len(NAME_STARTS)]} {name_parts[i % len(name_parts)]} {SUFFIXES[i % len(SUFFIXES)]}",
            "country": country if i % 5 else {"BD": "Bangladesh", "VN": "Vietnam", "CI": "Côte d'Ivoire", "TR": "Turkey"}.get(country, country),
            "region": region,
            "sector": sector if i % 4 else sector.replace("_", " ").title(),
            "products": products[i % len(products)],
            "tier": tier,
            "parent_supplier_id": rng.choice(parents) if parents else None,
            "registered_business": w.yesno(not bad(risky / 2)),
            "headcount": headcount,
            "headcount_social_security": w.number(headcount if not bad() else round(headcount * rng.uniform(0.4, 0.9))),
            "share_migrant_workers": w.share(rng.choice([0.0, 0.1, 0.35, 0.6, 0.85])),
            "share_agency_workers": w.share(rng.choice([0.0, 0.05, 0.2, 0.45])),
            "uses_recruiters": w.yesno(uses_recruiters),
            "workers_paid_recruitment_fees": w.yesno(paid_fees),
            "max_recruitment_fee_usd": w.number(fee),
            "employer_pays_policy": w.yesno(not bad()),
            "share_written_contracts": w.share(1.0 if not bad() else rng.choice([0.4, 0.7, 0.9])),
            "share_contracts_in_worker_language": w.share(1.0 if not bad() else rng.choice([0.3, 0.6, 0.8])),
            "contract_substitution_found": w.yesno(bad(risky / 3)),
            "share_documents_held_by_employer": w.share(0.0 if not bad(risky / 2) else rng.choice([0.05, 0.3, 0.9])),
            "share_workers_in_debt_to_employer": w.share(0.0 if not bad(risky / 2) else rng.choice([0.1, 0.25, 0.5])),
            "lowest_monthly_wage_usd": w.number(wage),
            "legal_min_monthly_wage_usd": w.number(min_wage),
            "avg_weekly_hours": w.number(rng.choice([44, 48, 52, 58, 63]) if bad() else rng.choice([40, 44, 46, 48])),
            "max_weekly_hours": w.number(rng.choice([66, 72, 84]) if bad() else rng.choice([48, 54, 58, 60])),
            "weekly_rest_day": w.yesno(not bad(risky / 2)),
            "free_to_leave_premises": w.yesno(not bad(risky / 3)),
            "threats_or_violence_reported": w.yesno(bad(risky / 4)),
            "min_worker_age": w.number(rng.choice([14, 15, 16, 17]) if bad(risky / 3) else rng.choice([18, 19, 20])),
            "independent_union": w.yesno(not bad(0.6)),
            "collective_agreement": w.yesno(not bad(0.7)),
            "grievance_channel_anonymous": w.yesno(not bad()),
            "homeworkers_or_outworkers": w.yesno(sector in ("apparel_textiles", "agriculture") and bad(0.5)),
            "subcontractors_disclosed": w.yesno(not bad()),
            "unauthorised_subcontracting": w.yesno(bad(risky / 3)),
            "last_audit_date": None if w.unknown() else dt.date(2026, 10, 1) - dt.timedelta(days=rng.choice([40, 200, 500, 900, 1400])),
            "last_audit_type": w.blank() if w.unknown() else rng.choice(["announced", "announced", "unannounced", "self_assessment", "none"] if bad() else ["unannounced", "announced"]),
            "worker_interviews_offsite": w.yesno(not bad()),
            "code_of_conduct_signed": w.yesno(not bad(0.3)),
        }
        rows.append(row)
    # Messy cells a data-quality report must catch, each on a known row.
    rows[3]["headcount"] = "about 300"           # not a number
    rows[8]["share_agency_workers"] = "45"       # a bare 45: read as 45% with a note
    rows[11]["last_audit_date"] = "31/02/2025"   # not a date
    rows[15]["share_migrant_workers"] = "140%"   # outside 0–100%
    rows[21]["country"] = "Atlantis"             # not a country
    rows[27]["supplier_name"] = '=HYPERLINK("http://example.invalid","click")'  # formula text must stay text
    return rows


# Legal minimum working age by sample country (illustrative figures for the sample only).
MIN_WORKING_AGE = {"BD": 14, "IN": 14, "VN": 15, "CN": 16, "TH": 15, "MY": 15, "TR": 15, "MX": 15, "GT": 14, "BR": 16,
                   "GH": 15, "CI": 16, "ID": 15, "PK": 14, "PH": 15, "DE": 15}
_BAD_ANSWERS = {"no", "n", "false"}


def _risk(row: dict) -> tuple[float, float]:
    """A row's risk level and unknown rate, read back from its v1 answers (so new columns agree with them)."""
    answers = [row[k] for k in ("employer_pays_policy", "grievance_channel_anonymous", "subcontractors_disclosed",
                                "worker_interviews_offsite", "weekly_rest_day", "free_to_leave_premises")]
    unknown = sum(str(a).strip().lower() in ("", "n/a", "unknown", "-", "none") for a in answers) / len(answers)
    bad = sum(str(a).strip().lower() in _BAD_ANSWERS for a in answers) / max(1, len(answers) - unknown * len(answers))
    return min(0.85, 0.1 + bad), (0.6 if unknown >= 0.5 else 0.05)


def add_columns_rules_a(rows: list[dict]) -> None:
    """Fill the columns added for the rules-A packs, with their own random stream so v1 answers stay as they were."""
    rng = random.Random(SEED + 1)
    for row in rows:
        risky, unknown_rate = _risk(row)
        w = Writer(rng, unknown_rate)
        bad = lambda p=risky: rng.random() < p  # noqa: E731
        country = str(row["country"]) if len(str(row["country"])) == 2 else None
        headcount = row["headcount"] if isinstance(row["headcount"], int) else None
        migrants = rng.random() < 0.6
        uses_recruiters = str(row["uses_recruiters"]).lower() in ("true", "yes", "y")
        housing = bad(0.5) or row["sector"] in ("agriculture", "fishing", "construction")
        row.update({
            "recruitment_related_costs_charged": w.yesno(uses_recruiters and bad()),
            "recruitment_chain_layers": w.number(rng.choice([2, 3, 4]) if uses_recruiters and bad() else (1 if uses_recruiters else 0)),
            "workers_hold_contract_copy": w.yesno(not bad(risky / 2)),
            "headcount_payroll": w.number(None if headcount is None else (round(headcount * rng.uniform(0.6, 0.85)) if bad(risky / 2) else headcount)),
            "share_workers_irregular_status": w.share(rng.choice([0.05, 0.15, 0.3]) if migrants and bad(risky / 2) else 0.0),
            "work_permit_tied_to_employer": w.yesno(migrants and bad(risky / 2)),
            "share_refugee_asylum_stateless": w.share(rng.choice([0.02, 0.1]) if rng.random() < 0.2 else 0.0),
            "grievance_channel_in_worker_languages": w.yesno(not bad()),
            "gbv_harassment_policy": w.yesno(not bad()),
            "legal_min_working_age": w.number(MIN_WORKING_AGE.get(country) if country else None),
            "young_worker_protections": w.yesno(not bad()),
            "age_verification_procedure": w.yesno(not bad(risky / 2)),
            "lockable_document_storage": w.yesno(not bad()),
            "debt_repaid_by_wage_deduction": w.yesno(bad(risky / 3)),
            "wages_withheld_or_delayed": w.yesno(bad(risky / 3)),
            "unlawful_wage_deductions": w.yesno(bad(risky / 2)),
            "overtime_voluntary": w.yesno(not bad(risky / 2)),
            "workers_allowed_personal_phones": w.yesno(not bad(risky / 3)),
            "employer_provided_housing": w.yesno(housing),
            "housing_meets_standards": w.yesno(not bad(risky / 2)) if housing else None,
            "informal_recruitment_channels": w.yesno(bad(risky / 2)),
            "child_remediation_procedure": w.yesno(not bad()),
            "resignation_penalty": w.yesno(bad(risky / 3)),
        })


def recruiter_rows(rng: random.Random, suppliers: list[dict]) -> list[dict]:
    """Recruiters for suppliers that use them; some unlicensed, some charging workers fees."""
    agencies = ["Horizon Manpower", "Trusted Placement Agency", "Global Workforce Partners", "Mekong Labour Link",
                "Gulf Bridge Recruitment", "Sahel Employment Services", "Pacific Crew Agency", "Andes Talent Services"]
    rows = []
    for s in suppliers:
        if str(s["uses_recruiters"]).lower() not in ("true", "yes", "y"):
            continue
        for _ in range(rng.choice([1, 1, 2, 3])):
            name = rng.choice(agencies)
            licensed = rng.random() < 0.7
            rows.append({
                "supplier_id": s["supplier_id"], "recruiter_name": name,
                "recruiter_country": rng.choice(["NP", "BD", "MM", "PH", "ID", "KH", s["country"] if len(str(s["country"])) == 2 else "IN"]),
                "licence_number": f"LIC-{rng.randint(10000, 99999)}" if licensed else rng.choice(["", "pending"]),
                "licence_verified": rng.choice(["Yes", "No"]) if licensed else "No",
                "charges_workers_fees": rng.choice(["No", "No", "Yes", "unknown"]),
            })
    # A shared recruiter: the same agency serves several suppliers (one row each).
    return rows


# Real goods from the ILAB List of Goods (2022 edition) for some sites, as buyers write them
# (synonyms included), so the goods-list rules fire: row number → products.
ILAB_PRODUCTS = {2: "Shrimp; Tuna", 5: "Polysilicon; Solar modules", 13: "Cocoa beans; Coffee", 26: "Prawns",
                 37: "Cotton lint; Tomato paste"}


def add_columns_rules_b(rows: list[dict]) -> None:
    """Fill the rules-B columns (governance, audit quality, purchasing, remediation, …) in place."""
    rng = random.Random(SEED + 2)
    for i, row in enumerate(rows, 1):
        if i in ILAB_PRODUCTS:
            row["products"] = ILAB_PRODUCTS[i]
        w = Writer(rng, 0.5 if i % 10 == 0 else 0.07)
        p = lambda chance: rng.random() < chance  # noqa: E731
        capacity = rng.choice([5000, 12000, 30000, 80000])
        action = rng.choice(["none"] * 5 + ["corrective action plan", "corrective_action_plan", "Terminate supplier", "suspend orders", "dismiss workers"])
        minutes, wage = rng.choice([8, 15, 30, 45]), 200
        row.update({
            "tourism_child_protection_code": w.yesno(p(0.5)),
            "inputs_traced_to_origin": w.yesno(p(0.4)),
            "monthly_order_units": w.number(round(capacity * rng.choice([0.6, 0.9, 1.05, 1.3, 1.6]))),
            "monthly_capacity_units": w.number(capacity),
            "labour_inspection_recent": w.yesno(p(0.55)),
            "crisis_affected_area": w.yesno(p(0.15)),
            "all_workers_can_join_representation": w.yesno(p(0.6)),
            "facilitation_payments_reported": w.yesno(p(0.1)),
            "permit_agent_used": w.yesno(p(0.4)),
            "recruiter_selection_documented": w.yesno(p(0.5)),
            "audit_interpreter": w.blank() if w.unknown() else rng.choice(["independent", "Independent", "audit firm", "supplier staff", "Recruiter staff", "co-worker", "not needed"]),
            "audit_scope_recruiters_housing": w.yesno(p(0.5)),
            "auditor_forced_labour_trained": w.yesno(p(0.7)),
            "management_trained_forced_labour": w.yesno(p(0.6)),
            "adverse_finding_status": w.blank() if w.unknown() else rng.choice(["none"] * 8 + ["alleged", "under investigation", "substantiated", "remediated"]),
            "anti_trafficking_clause": w.yesno(p(0.6)),
            "site_access_refused": w.yesno(p(0.06)),
            "unit_price_usd": w.number(round(minutes * wage / 12480 / 0.25 * rng.choice([0.6, 0.9, 1.2, 2.0, 3.0]), 2)),
            "labour_minutes_per_unit": w.number(minutes),
            "order_lead_time_days": w.number(rng.choice([14, 30, 45, 60, 90])),
            "supplier_min_lead_time_days": w.number(rng.choice([30, 45, 60])),
            "remediation_action": action,
            "worker_impact_assessed": w.yesno(p(0.4)),
            "remediation_followup_months": None if action == "none" else w.number(rng.choice([1, 3, 6, 12])),
            "victim_referral_partner": w.yesno(p(0.4)),
            "grievances_received_12m": w.number(rng.choice([0, 0, 2, 9, 31])),
            "workers_consulted_on_remediation": w.yesno(p(0.5)),
        })
    # A rules-B cell that must be caught as not a known value.
    rows[6]["audit_interpreter"] = "the manager's cousin"
    rows[11]["site_access_refused"] = "Yes"      # refusals are rare but must show up
    rows[39]["site_access_refused"] = "yes"
    rows[44]["parent_supplier_id"] = None        # a tier 3 site nobody linked up the chain
    for i, code in ((10, "No"), (22, "yes"), (34, "n"), (46, "Y")):  # hotels and catering sites, with and without a code
        rows[i - 1]["tourism_child_protection_code"] = code


def write(path: Path) -> None:
    """Write the sample workbook."""
    rng = random.Random(SEED)
    suppliers = supplier_rows(rng)
    add_columns_rules_b(suppliers)
    recruiters = recruiter_rows(rng, suppliers)
    add_columns_rules_a(suppliers)
    wb = Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws.append([HEADERS[k] for k in HEADERS])
    for row in suppliers:
        ws.append([row[k] for k in HEADERS])
    # openpyxl would turn text starting with "=" into a formula; the sample must hold it as text.
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    rs = wb.create_sheet("Recruiters")
    rkeys = ["supplier_id", "recruiter_name", "recruiter_country", "licence_number", "licence_verified", "charges_workers_fees"]
    rs.append(["Supplier ID", "Recruiter Name", "Recruiter Country", "Licence Number", "Licence Verified", "Charges Workers Fees"])
    for row in recruiters:
        rs.append([row[k] for k in rkeys])
    for cell in rs[1]:
        cell.font = Font(bold=True)
    wb.properties.creator = "auditor sample generator"
    wb.properties.created = dt.datetime(2026, 11, 1)
    wb.properties.modified = dt.datetime(2026, 11, 1)
    wb.save(path)


if __name__ == "__main__":
    target = HERE / "sample_suppliers.xlsx"
    write(target)
    print(f"wrote {target}")
