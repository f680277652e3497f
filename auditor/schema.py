"""The supplier data contract v1 (DESIGN.md §3): column names, types, meanings and aliases.

Names in this file are a public contract: rules, mapping files and users' spreadsheets depend on
them. Columns may be added; none may be renamed or removed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

ColumnType = Literal["text", "country", "sector", "enum", "int", "number", "fraction", "bool", "date"]


class ColumnSpec(BaseModel):
    """One column of the contract: its canonical name, type, meaning and accepted header aliases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: ColumnType
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # allowed values for `enum`
    minimum: float | None = None  # for int/number: values below are reported, not used


POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "country": pl.String(),
    "sector": pl.String(),
    "enum": pl.String(),
    "int": pl.Int64(),
    "number": pl.Float64(),
    "fraction": pl.Float64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
}

AUDIT_TYPES = ("unannounced", "announced", "self_assessment", "none")

SUPPLIER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(name="supplier_id", type="text", required=True, description="The supplier site's key, unique in the file.",
               aliases=("Supplier ID", "Site ID", "Facility ID", "Vendor ID", "ID")),
    ColumnSpec(name="supplier_name", type="text", required=True, description="The supplier site's name.",
               aliases=("Supplier", "Supplier Name", "Name", "Facility Name", "Site Name", "Vendor Name")),
    ColumnSpec(name="country", type="country", description="Site country: ISO 3166 alpha-2 code or a country name, normalised to alpha-2.",
               aliases=("Country", "Country Code", "Site Country", "Country of Production")),
    ColumnSpec(name="region", type="text", description="Administrative region of the site.",
               aliases=("Region", "Province", "State", "Admin Region")),
    ColumnSpec(name="sector", type="sector", description="Sector from the sector vocabulary (rules/reference/sectors.toml).",
               aliases=("Sector", "Industry")),
    ColumnSpec(name="products", type="text", description="Goods the site supplies, separated by ';'. Matched against the ILAB goods list.",
               aliases=("Products", "Product", "Goods", "Commodities")),
    ColumnSpec(name="tier", type="int", minimum=1, description="Supply-chain tier: 1 = direct supplier, 2 = its supplier, and so on.",
               aliases=("Tier", "Supplier Tier")),
    ColumnSpec(name="parent_supplier_id", type="text", description="The supplier this site supplies (its link up the chain).",
               aliases=("Parent Supplier ID", "Parent ID", "Supplies To", "Parent")),
    ColumnSpec(name="registered_business", type="bool", description="The site is a legally registered business.",
               aliases=("Registered Business", "Legally Registered", "Registered?", "Business Registered")),
    ColumnSpec(name="headcount", type="int", minimum=0, description="Workers at the site.",
               aliases=("Headcount", "Workers", "Number of Workers", "Employees", "Total Workers")),
    ColumnSpec(name="headcount_social_security", type="int", minimum=0, description="Workers registered for social security.",
               aliases=("Workers with Social Security", "Social Security Headcount", "Headcount Social Security")),
    ColumnSpec(name="share_migrant_workers", type="fraction", description="Share of workers who are migrants (international or internal).",
               aliases=("Migrant Workers %", "% Migrant Workers", "Share Migrant Workers", "Migrant Share")),
    ColumnSpec(name="share_agency_workers", type="fraction", description="Share of agency, temporary or dispatched workers.",
               aliases=("Agency Workers %", "% Agency Workers", "Share Agency Workers", "Temporary Workers %")),
    ColumnSpec(name="uses_recruiters", type="bool", description="Labour recruiters or agents are used to hire workers.",
               aliases=("Uses Recruiters", "Uses Labour Recruiters?", "Uses Labor Recruiters?", "Recruitment Agencies Used")),
    ColumnSpec(name="workers_paid_recruitment_fees", type="bool", description="Any worker paid any recruitment fee or related cost.",
               aliases=("Recruitment fees paid by workers?", "Workers Paid Recruitment Fees", "Worker-paid Recruitment Fees")),
    ColumnSpec(name="max_recruitment_fee_usd", type="number", minimum=0, description="Highest total recruitment fee a worker paid, in USD.",
               aliases=("Max Recruitment Fee (USD)", "Highest Recruitment Fee USD", "Recruitment Fee (USD)")),
    ColumnSpec(name="employer_pays_policy", type="bool", description="A written employer-pays policy exists and is flowed down to recruiters.",
               aliases=("Employer Pays Policy", "Employer-Pays Policy?", "Employer Pays Principle")),
    ColumnSpec(name="share_written_contracts", type="fraction", description="Share of workers with a written employment contract.",
               aliases=("Written Contracts %", "% Written Contracts", "Share Written Contracts")),
    ColumnSpec(name="share_contracts_in_worker_language", type="fraction", description="Share of contracts in a language the worker understands.",
               aliases=("Contracts in Worker Language %", "% Contracts in Worker Language")),
    ColumnSpec(name="contract_substitution_found", type="bool", description="Terms were changed after recruitment (contract substitution).",
               aliases=("Contract Substitution Found", "Contract Substitution?")),
    ColumnSpec(name="share_documents_held_by_employer", type="fraction", description="Share of workers whose identity documents the employer or an agent holds.",
               aliases=("Documents Held by Employer %", "% Passports Held", "Share Documents Held by Employer")),
    ColumnSpec(name="share_workers_in_debt_to_employer", type="fraction", description="Share of workers in debt to the employer or a recruiter.",
               aliases=("Workers in Debt %", "% Workers in Debt", "Share Workers in Debt")),
    ColumnSpec(name="lowest_monthly_wage_usd", type="number", minimum=0, description="Lowest monthly wage paid at the site, in USD.",
               aliases=("Lowest Monthly Wage (USD)", "Lowest Wage USD", "Min Wage Paid (USD)")),
    ColumnSpec(name="legal_min_monthly_wage_usd", type="number", minimum=0, description="Legal monthly minimum wage that applies, in USD.",
               aliases=("Legal Minimum Wage (USD)", "Legal Min Wage USD", "Minimum Wage (USD)")),
    ColumnSpec(name="avg_weekly_hours", type="number", minimum=0, description="Average weekly working hours, overtime included.",
               aliases=("Average Weekly Hours", "Avg Weekly Hours", "Avg Hours per Week")),
    ColumnSpec(name="max_weekly_hours", type="number", minimum=0, description="Highest weekly working hours seen for any worker.",
               aliases=("Max Weekly Hours", "Maximum Weekly Hours", "Max Hours per Week")),
    ColumnSpec(name="weekly_rest_day", type="bool", description="Workers get at least one day off in seven.",
               aliases=("Weekly Rest Day", "Day Off in Seven?", "One Day Off per Week")),
    ColumnSpec(name="free_to_leave_premises", type="bool", description="Workers may leave the workplace and housing when off shift.",
               aliases=("Free to Leave Premises", "Free to Leave?", "Freedom of Movement")),
    ColumnSpec(name="threats_or_violence_reported", type="bool", description="Threats, intimidation or violence against workers were reported.",
               aliases=("Threats or Violence Reported", "Threats/Violence Reported?")),
    ColumnSpec(name="min_worker_age", type="int", minimum=0, description="Age of the youngest worker seen.",
               aliases=("Youngest Worker Age", "Min Worker Age", "Minimum Worker Age")),
    ColumnSpec(name="independent_union", type="bool", description="An independent union or elected worker representation exists.",
               aliases=("Independent Union", "Union Present?", "Worker Representation")),
    ColumnSpec(name="collective_agreement", type="bool", description="A collective bargaining agreement is in force.",
               aliases=("Collective Agreement", "CBA in Force?", "Collective Bargaining Agreement")),
    ColumnSpec(name="grievance_channel_anonymous", type="bool", description="An anonymous, retaliation-safe grievance channel exists.",
               aliases=("Anonymous Grievance Channel", "Grievance Channel Anonymous", "Grievance Mechanism Anonymous?")),
    ColumnSpec(name="homeworkers_or_outworkers", type="bool", description="Homeworkers or outworkers are used.",
               aliases=("Homeworkers or Outworkers", "Homeworkers?", "Uses Homeworkers")),
    ColumnSpec(name="subcontractors_disclosed", type="bool", description="All subcontractors are disclosed to the buyer.",
               aliases=("Subcontractors Disclosed", "Subcontractors Disclosed?")),
    ColumnSpec(name="unauthorised_subcontracting", type="bool", description="Unauthorised subcontracting was found.",
               aliases=("Unauthorised Subcontracting", "Unauthorized Subcontracting", "Unauthorised Subcontracting Found?")),
    ColumnSpec(name="last_audit_date", type="date", description="Date of the last social audit (ISO 8601, or an Excel date).",
               aliases=("Last Audit Date", "Last Audit", "Audit Date")),
    ColumnSpec(name="last_audit_type", type="enum", values=AUDIT_TYPES,
               description="Type of the last audit: unannounced, announced, self_assessment or none.",
               aliases=("Last Audit Type", "Audit Type")),
    ColumnSpec(name="worker_interviews_offsite", type="bool", description="Confidential worker interviews were held away from management.",
               aliases=("Offsite Worker Interviews", "Worker Interviews Offsite", "Off-site Interviews?")),
    ColumnSpec(name="code_of_conduct_signed", type="bool", description="The supplier signed the buyer's code of conduct.",
               aliases=("Code of Conduct Signed", "CoC Signed?", "Code of Conduct")),
    # v1 additions: rules A
    ColumnSpec(name="recruitment_related_costs_charged", type="bool",
               description="Workers bore recruitment-related costs (visa, permit, medical, travel, training) besides any fee.",
               aliases=("Recruitment Related Costs Charged", "Related Costs Paid by Workers?", "Visa/Medical/Travel Costs Paid by Workers?")),
    ColumnSpec(name="recruitment_chain_layers", type="int", minimum=0,
               description="Intermediaries between the worker's home community and the employer (0 = direct hire).",
               aliases=("Recruitment Chain Layers", "Number of Recruitment Intermediaries", "Sub-agent Layers")),
    ColumnSpec(name="workers_hold_contract_copy", type="bool", description="Every worker holds a signed copy of their own contract.",
               aliases=("Workers Hold Contract Copy", "Contract Copy Given to Workers?", "Workers Have Contract Copy")),
    ColumnSpec(name="headcount_payroll", type="int", minimum=0, description="Workers on the site's payroll (compared with headcount).",
               aliases=("Payroll Headcount", "Headcount Payroll", "Workers on Payroll")),
    ColumnSpec(name="share_workers_irregular_status", type="fraction", description="Share of workers without regular immigration or work-permit status.",
               aliases=("Irregular Status Workers %", "% Workers Irregular Status", "Share Workers Irregular Status")),
    ColumnSpec(name="work_permit_tied_to_employer", type="bool", description="Migrant workers' permits tie them to this employer (cannot change employer).",
               aliases=("Work Permit Tied to Employer", "Employer-tied Work Permits?", "Tied Visa")),
    ColumnSpec(name="share_refugee_asylum_stateless", type="fraction", description="Share of workers who are refugees, asylum-seekers, returnees or stateless.",
               aliases=("Refugee/Asylum/Stateless Workers %", "% Refugee Workers", "Share Refugee Asylum Stateless")),
    ColumnSpec(name="grievance_channel_in_worker_languages", type="bool", description="The grievance channel works in every language the workers speak.",
               aliases=("Grievance Channel in Worker Languages", "Grievance Channel Languages Cover Workers?")),
    ColumnSpec(name="gbv_harassment_policy", type="bool", description="A policy on gender-based violence and harassment with a confidential reporting route.",
               aliases=("GBV Harassment Policy", "Harassment Policy", "Gender-based Violence Policy?")),
    ColumnSpec(name="legal_min_working_age", type="int", minimum=0, description="Legal minimum age for employment that applies at the site.",
               aliases=("Legal Minimum Working Age", "Legal Min Working Age", "Minimum Working Age (Law)")),
    ColumnSpec(name="young_worker_protections", type="bool",
               description="Workers under 18 are kept from hazardous and night work under a documented young-worker risk assessment.",
               aliases=("Young Worker Protections", "Young Worker Risk Assessment?", "Juvenile Worker Protections")),
    ColumnSpec(name="age_verification_procedure", type="bool", description="Age is verified from documents at hiring.",
               aliases=("Age Verification Procedure", "Age Verified at Hiring?", "Age Checks")),
    ColumnSpec(name="lockable_document_storage", type="bool", description="Workers have personal lockable storage for their documents, to which they alone hold access.",
               aliases=("Lockable Document Storage", "Personal Lockers for Documents?", "Lockable Storage")),
    ColumnSpec(name="debt_repaid_by_wage_deduction", type="bool", description="Debts to the employer or a recruiter are repaid by deductions from wages.",
               aliases=("Debt Repaid by Wage Deduction", "Debt Deducted from Wages?", "Loan Deductions from Pay")),
    ColumnSpec(name="wages_withheld_or_delayed", type="bool",
               description="Wages were paid late, held back (e.g. as a deposit), or paid to someone other than the worker.",
               aliases=("Wages Withheld or Delayed", "Wages Withheld?", "Late or Withheld Wages")),
    ColumnSpec(name="unlawful_wage_deductions", type="bool",
               description="Deductions not provided for by law or agreed by the worker (fines, fees, housing or food above cost).",
               aliases=("Unlawful Wage Deductions", "Unlawful Deductions?", "Disciplinary Deductions")),
    ColumnSpec(name="overtime_voluntary", type="bool", description="Overtime is voluntary: workers may refuse it without penalty.",
               aliases=("Overtime Voluntary", "Voluntary Overtime?", "Overtime Can Be Refused")),
    ColumnSpec(name="workers_allowed_personal_phones", type="bool", description="Workers may keep and use their own phones outside production-safety zones.",
               aliases=("Workers Allowed Personal Phones", "Personal Phones Allowed?", "Phones Allowed")),
    ColumnSpec(name="employer_provided_housing", type="bool", description="The employer or a recruiter provides or arranges workers' housing.",
               aliases=("Employer Provided Housing", "Dormitory Provided?", "Employer Housing")),
    ColumnSpec(name="housing_meets_standards", type="bool",
               description="Employer-provided housing is clean, safe, not overcrowded and meets legal standards.",
               aliases=("Housing Meets Standards", "Dormitory Meets Standards?", "Housing Standards Met")),
    ColumnSpec(name="informal_recruitment_channels", type="bool",
               description="Some workers were hired through unlicensed agents, personal networks or unverified online adverts.",
               aliases=("Informal Recruitment Channels", "Hired via Informal Channels?", "Informal Recruitment")),
    ColumnSpec(name="child_remediation_procedure", type="bool",
               description="A written child-labour remediation procedure names the child-protection referral and keeps the family's income.",
               aliases=("Child Remediation Procedure", "Child Labour Remediation Procedure?", "Child Labor Remediation Procedure?")),
    ColumnSpec(name="resignation_penalty", type="bool",
               description="Workers who resign lose wages or deposits, pay a penalty, or are refused leave after reasonable notice.",
               aliases=("Resignation Penalty", "Penalty for Resigning?", "Exit Penalty")),
)

RECRUITER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(name="supplier_id", type="text", required=True, description="The supplier site that uses this recruiter.",
               aliases=("Supplier ID", "Site ID")),
    ColumnSpec(name="recruiter_name", type="text", required=True, description="The recruiter's or agent's name.",
               aliases=("Recruiter", "Recruiter Name", "Agency", "Agency Name")),
    ColumnSpec(name="recruiter_country", type="country", description="Country where the recruiter operates.",
               aliases=("Recruiter Country", "Agency Country")),
    ColumnSpec(name="licence_number", type="text", description="The recruiter's licence number.",
               aliases=("Licence Number", "License Number", "Licence No", "License No")),
    ColumnSpec(name="licence_verified", type="bool", description="The licence was verified with the issuing authority.",
               aliases=("Licence Verified", "License Verified", "Licence Verified?", "License Verified?")),
    ColumnSpec(name="charges_workers_fees", type="bool", description="The recruiter charges workers fees or related costs.",
               aliases=("Charges Workers Fees", "Charges Fees to Workers?", "Worker Fees Charged")),
)

# Supplier-level columns computed from the Recruiters sheet before rules run (see recruiters.py).
DERIVED_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(name="recruiter_count", type="int", minimum=0,
               description="Derived: recruiters listed for the supplier on the Recruiters sheet (null when the sheet is absent)."),
    ColumnSpec(name="recruiters_unverified", type="int", minimum=0,
               description="Derived: listed recruiters whose licence is not verified (missing licence or licence_verified = no)."),
    ColumnSpec(name="recruiters_charging_fees", type="int", minimum=0,
               description="Derived: listed recruiters that charge workers fees (null when any recruiter's answer is unknown and none charge)."),
    ColumnSpec(name="sector_risk", type="enum", values=("high", "medium", "low"),
               description="Derived: the sector's inherent risk level from rules/reference/sectors.toml (a policy choice, overridable)."),
)


def normalise_header(text: str) -> str:
    """Fold a header to lowercase alphanumerics so 'Supplier ID', 'supplier_id' and 'SUPPLIER-ID' meet."""
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


@cache
def header_index(sheet: Literal["suppliers", "recruiters"]) -> dict[str, str]:
    """Map every normalised name and alias of a sheet's columns to its canonical name."""
    specs = SUPPLIER_COLUMNS if sheet == "suppliers" else RECRUITER_COLUMNS
    index: dict[str, str] = {}
    for spec in specs:
        for label in (spec.name, *spec.aliases):
            index.setdefault(normalise_header(label), spec.name)
    return index


def all_columns() -> tuple[ColumnSpec, ...]:
    """Every column a rule may reference: the contract's plus the derived ones."""
    return SUPPLIER_COLUMNS + DERIVED_COLUMNS


@cache
def polars_schema() -> pl.Schema:
    """The typed supplier frame's schema, the one rules are compiled against."""
    return pl.Schema({c.name: POLARS_TYPES[c.type] for c in all_columns()})


def spec(name: str) -> ColumnSpec:
    """The spec of one column by canonical name."""
    for column in all_columns() + RECRUITER_COLUMNS:
        if column.name == name:
            return column
    raise KeyError(name)
