"""docs/data-contract.md is generated from the contract and must not go stale."""

from auditor import contract_doc
from tests.support import ROOT


def test_the_data_contract_page_matches_the_contract():
    page = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert page == contract_doc.render(), "docs/data-contract.md is stale: run `python -m auditor.docgen contract`"


def test_the_page_lists_every_v1_column():
    page = contract_doc.render()
    for name in ("supplier_id", "workers_paid_recruitment_fees", "share_documents_held_by_employer", "code_of_conduct_signed"):
        assert f"| `{name}` |" in page
