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
    # v1 additions: rules B
    ColumnSpec(name="tourism_child_protection_code", type="bool", description="A tourism code against the sexual exploitation of children is signed and applied (hotels, travel).",
               aliases=("Tourism Child Protection Code", "Child Protection Code Signed?")),
    ColumnSpec(name="inputs_traced_to_origin", type="bool", description="The site's main inputs are traced to their country and producer of origin.",
               aliases=("Inputs Traced to Origin", "Inputs Traced?", "Raw Materials Traced")),
    ColumnSpec(name="monthly_order_units", type="int", minimum=0, description="Units the buyer orders from the site in a typical month.",
               aliases=("Monthly Order Units", "Units Ordered per Month")),
    ColumnSpec(name="monthly_capacity_units", type="int", minimum=0, description="Units the site declares it can produce in a month at regular hours.",
               aliases=("Monthly Capacity Units", "Declared Capacity per Month")),
    ColumnSpec(name="labour_inspection_recent", type="bool", description="The public labour inspectorate inspected the site in the last three years.",
               aliases=("Labour Inspection Recent", "Labor Inspection Recent", "Inspected by Labour Inspectorate (3 years)?")),
    ColumnSpec(name="crisis_affected_area", type="bool", description="The site or its recruitment area is affected by a natural disaster, conflict or economic crisis.",
               aliases=("Crisis Affected Area", "Disaster or Conflict Area?")),
    ColumnSpec(name="all_workers_can_join_representation", type="bool", description="Migrant, agency and temporary workers may join the union or elect worker representatives.",
               aliases=("All Workers Can Join Representation", "Migrant/Agency Workers Represented?")),
    ColumnSpec(name="facilitation_payments_reported", type="bool", description="Bribes, facilitation payments or recruiter kickbacks in hiring or permits were reported.",
               aliases=("Facilitation Payments Reported", "Bribes or Kickbacks Reported?")),
    ColumnSpec(name="permit_agent_used", type="bool", description="A third-party agent handles work permits, visas or licences for the site's workers.",
               aliases=("Permit Agent Used", "Visa/Permit Agent Used?")),
    ColumnSpec(name="recruiter_selection_documented", type="bool", description="The site documents how it selects and pays recruiters and permit agents.",
               aliases=("Recruiter Selection Documented", "Agent Selection Documented?")),
    ColumnSpec(name="audit_interpreter", type="enum", values=("independent", "audit_firm", "supplier_staff", "recruiter_staff", "co_worker", "not_needed"),
               description="Who interpreted in the last audit's worker interviews.",
               aliases=("Audit Interpreter", "Interpreter")),
    ColumnSpec(name="audit_scope_recruiters_housing", type="bool", description="The last audit covered the recruiters or agencies used and any worker housing.",
               aliases=("Audit Scope Recruiters and Housing", "Audit Covered Recruiters/Housing?")),
    ColumnSpec(name="auditor_forced_labour_trained", type="bool", description="The auditor has documented training in forced-labour and trafficking indicators.",
               aliases=("Auditor Forced Labour Trained", "Auditor Trained in Forced Labour?")),
    ColumnSpec(name="management_trained_forced_labour", type="bool", description="Site managers and HR were trained on the forced-labour policy in the last two years.",
               aliases=("Management Trained on Forced Labour", "Management Training?")),
    ColumnSpec(name="adverse_finding_status", type="enum", values=("none", "alleged", "under_investigation", "substantiated", "remediated"),
               description="Most serious trafficking or forced-labour allegation, enforcement action or conviction about the site in five years.",
               aliases=("Adverse Finding Status", "Allegations (5 years)")),
    ColumnSpec(name="anti_trafficking_clause", type="bool", description="The supply contract has an anti-trafficking clause that flows down to recruiters and subcontractors.",
               aliases=("Anti-Trafficking Clause", "Anti-trafficking Clause in Contract?")),
    ColumnSpec(name="site_access_refused", type="bool", description="The site refused auditors access or refused to give requested information.",
               aliases=("Site Access Refused", "Access or Information Refused?")),
    ColumnSpec(name="unit_price_usd", type="number", minimum=0, description="Price the buyer pays per unit, in USD.",
               aliases=("Unit Price (USD)", "Price per Unit USD")),
    ColumnSpec(name="labour_minutes_per_unit", type="number", minimum=0, description="Standard labour minutes to make one unit.",
               aliases=("Labour Minutes per Unit", "Standard Minutes per Unit", "SAM")),
    ColumnSpec(name="order_lead_time_days", type="int", minimum=0, description="Days between the buyer's order and the delivery date (typical order).",
               aliases=("Order Lead Time (days)", "Lead Time Days")),
    ColumnSpec(name="supplier_min_lead_time_days", type="int", minimum=0, description="The shortest lead time the site says it can meet at regular hours.",
               aliases=("Supplier Minimum Lead Time (days)", "Min Lead Time Days")),
    ColumnSpec(name="remediation_action", type="enum",
               values=("none", "corrective_action_plan", "dismiss_workers", "report_to_immigration", "suspend_orders", "terminate_supplier"),
               description="The buyer's current remediation action for the site.",
               aliases=("Remediation Action", "Current Remediation")),
    ColumnSpec(name="worker_impact_assessed", type="bool", description="The effect of the remediation action on workers was assessed in writing before acting.",
               aliases=("Worker Impact Assessed", "Worker Impact Assessment Done?")),
    ColumnSpec(name="remediation_followup_months", type="int", minimum=0, description="Months of follow-up monitoring planned for the remediation.",
               aliases=("Remediation Follow-up (months)", "Follow-up Months")),
    ColumnSpec(name="victim_referral_partner", type="bool", description="A victim-support organisation or national referral mechanism is named for the site's country.",
               aliases=("Victim Referral Partner", "Referral Partner Named?")),
    ColumnSpec(name="grievances_received_12m", type="int", minimum=0, description="Grievances workers raised through any channel in the last twelve months.",
               aliases=("Grievances Received (12 months)", "Grievances 12m")),
    ColumnSpec(name="workers_consulted_on_remediation", type="bool", description="Affected workers or their representatives were consulted on the remediation plan.",
               aliases=("Workers Consulted on Remediation", "Workers Consulted on CAP?")),
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
    # Derived from rules/reference/ (rules B): the ILAB List of Goods, 2022 edition, and ILO ratifications.
    ColumnSpec(name="ilab_goods_matched", type="text",
               description="Derived: goods in `products` listed for the site's country on the ILAB List of Goods (2022 edition), with the listing (forced labour, child labour, inputs)."),
    ColumnSpec(name="goods_on_ilab_list", type="bool",
               description="Derived: a product is listed for the site's country on the ILAB List of Goods, 2022 edition (null when products or country are unknown)."),
    ColumnSpec(name="goods_forced_labour", type="bool",
               description="Derived: a product is listed for the site's country for forced labour (ILAB List of Goods, 2022 edition)."),
    ColumnSpec(name="goods_child_labour", type="bool",
               description="Derived: a product is listed for the site's country for child labour (ILAB List of Goods, 2022 edition)."),
    ColumnSpec(name="goods_downstream", type="bool",
               description="Derived: a product is listed for the site's country as made with inputs produced with child or forced labour (ILAB 2022)."),
    ColumnSpec(name="goods_listed_elsewhere", type="bool",
               description="Derived: a product is a listed good for some other country but not for the site's country (ILAB List of Goods, 2022 edition)."),
    ColumnSpec(name="country_ilab_forced_labour_goods", type="int", minimum=0,
               description="Derived: goods the ILAB List of Goods (2022 edition) lists for forced labour in the site's country (0 when none)."),
    ColumnSpec(name="country_ratified_c087", type="bool",
               description="Derived: the site's country has ratified ILO C087 (rules/reference/ilo_ratifications.csv; null when not in the table)."),
    ColumnSpec(name="country_ratified_c098", type="bool",
               description="Derived: the site's country has ratified ILO C098 (rules/reference/ilo_ratifications.csv; null when not in the table)."),
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
