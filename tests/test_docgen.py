"""One command regenerates or checks every generated page."""

from auditor import docgen


def test_every_generated_page_is_current():
    assert docgen.main(["all", "--check"]) == 0


def test_a_stale_page_is_reported_with_the_command_that_fixes_it(tmp_path, capsys):
    stale = tmp_path / "rules.md"
    stale.write_text("old\n", encoding="utf-8")
    assert docgen.main(["rules", "--check", str(stale)]) == 1
    assert "python -m auditor.docgen rules" in capsys.readouterr().err


def test_an_unknown_page_is_a_usage_error():
    assert docgen.main(["nonsense"]) == 2
