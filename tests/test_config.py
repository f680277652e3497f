"""Configuration: auditor.toml or [tool.auditor]; command line > AUDITOR_* > file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_support import SAMPLE
from typer.testing import CliRunner

from auditor import config
from auditor.cli import app
from auditor.errors import ConfigError
from auditor.scoring import ScoringConfig

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in [*config.ENV, "AUDITOR_CONFIG"]:
        monkeypatch.delenv(name, raising=False)


def test_defaults_without_any_file(tmp_path):
    resolved = config.resolve({}, env={}, cwd=tmp_path)
    assert resolved.settings.fail_on == "high" and resolved.file is None
    assert set(resolved.sources.values()) == {"default"}


def test_fail_on_never_in_auditor_toml_is_honoured(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail-on = "never"\n')
    assert runner.invoke(app, ["audit", str(SAMPLE)]).exit_code == 0


def test_fail_on_never_in_pyproject_tool_auditor_is_honoured(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.auditor]\nfail-on = "never"\n')
    assert runner.invoke(app, ["audit", str(SAMPLE)]).exit_code == 0


def test_auditor_toml_wins_over_pyproject_in_the_same_directory(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nfail-on = "low"\n')
    (tmp_path / "auditor.toml").write_text('fail-on = "critical"\n')
    assert config.resolve({}, env={}, cwd=tmp_path).settings.fail_on == "critical"


def test_the_file_is_found_from_a_subdirectory(tmp_path):
    (tmp_path / "auditor.toml").write_text('select = ["RF"]\n')
    (tmp_path / "deep" / "er").mkdir(parents=True)
    resolved = config.resolve({}, env={}, cwd=tmp_path / "deep" / "er")
    assert resolved.settings.select == ["RF"] and resolved.sources["select"] == "auditor.toml"


def test_precedence_command_line_over_environment_over_file(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail-on = "low"\nselect = ["RF"]\nignore = ["RF-002"]\n')
    env = {"AUDITOR_FAIL_ON": "medium", "AUDITOR_SELECT": "CT,DOC"}
    resolved = config.resolve({"fail_on": "critical"}, env=env, cwd=tmp_path)
    s = resolved.settings
    assert (s.fail_on, s.select, s.ignore) == ("critical", ["CT", "DOC"], ["RF-002"])
    assert resolved.sources["fail_on"] == "command line"
    assert resolved.sources["select"] == "environment AUDITOR_SELECT"
    assert resolved.sources["ignore"] == "auditor.toml"


def test_command_line_fail_on_beats_the_file(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail-on = "never"\n')
    assert runner.invoke(app, ["audit", str(SAMPLE), "--fail-on", "high"]).exit_code == 1


def test_environment_beats_the_file_on_the_command_line(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('fail-on = "high"\n')
    monkeypatch.setenv("AUDITOR_FAIL_ON", "never")
    assert runner.invoke(app, ["audit", str(SAMPLE)]).exit_code == 0


def test_isolated_ignores_file_and_environment(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('fail-on = "never"\n')
    monkeypatch.setenv("AUDITOR_EXIT_ZERO", "1")
    assert runner.invoke(app, ["audit", str(SAMPLE), "--isolated"]).exit_code == 1


def test_an_unknown_key_is_exit_2_naming_file_and_key(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail_onn = "never"\n')
    outcome = runner.invoke(app, ["audit", str(SAMPLE)])
    assert outcome.exit_code == 2
    assert "auditor.toml" in outcome.output and "fail_onn" in outcome.output


def test_a_bad_value_in_the_environment_names_the_variable():
    with pytest.raises(ConfigError, match="AUDITOR_FAIL_ON"):
        config.resolve({}, env={"AUDITOR_FAIL_ON": "extreme"})


def test_paths_in_the_file_are_relative_to_the_file(tmp_path):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "auditor.toml").write_text('rules = ["packs"]\nbaseline = "b.json"\n')
    resolved = config.resolve({}, config_file=tmp_path / "cfg" / "auditor.toml", env={}, cwd=tmp_path)
    assert resolved.settings.rules == [Path("cfg/packs")] and resolved.settings.baseline == Path("cfg/b.json")


def test_scoring_weights_and_rule_params_are_read_from_the_file(tmp_path):
    (tmp_path / "auditor.toml").write_text('[scoring]\nhigh_cutoff = 99.0\n\n[params.RF-003]\nratio = 2.5\n')
    s = config.resolve({}, env={}, cwd=tmp_path).settings
    assert s.scoring.high_cutoff == 99.0 and s.scoring.medium_cutoff == ScoringConfig().medium_cutoff  # unset keys keep their defaults
    assert s.params == {"RF-003": {"ratio": 2.5}}


def test_a_rule_parameter_from_the_file_changes_the_findings(tmp_path):
    import json

    runner.invoke(app, ["audit", str(SAMPLE), "--select", "RF-003", "-o", "json:base.json"])
    (tmp_path / "auditor.toml").write_text("[params.RF-003]\nratio = 1000.0\n")
    runner.invoke(app, ["audit", str(SAMPLE), "--select", "RF-003", "-o", "json:strict.json"])
    base, strict = (json.loads((tmp_path / n).read_text())["summary"]["findings"] for n in ("base.json", "strict.json"))
    assert base > 0 and strict < base


def test_an_unknown_scoring_key_is_rejected(tmp_path):
    (tmp_path / "auditor.toml").write_text('[scoring]\nhigh_cut = 1\n')
    with pytest.raises(ConfigError, match="scoring.high_cut"):
        config.resolve({}, env={}, cwd=tmp_path)


def test_outputs_from_the_file_are_written(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail-on = "never"\noutput = ["sarif:out/a.sarif"]\n')
    assert runner.invoke(app, ["audit", str(SAMPLE)]).exit_code == 0
    assert (tmp_path / "out" / "a.sarif").is_file()


def test_exit_zero_passes_a_failing_run():
    assert runner.invoke(app, ["audit", str(SAMPLE), "--exit-zero"]).exit_code == 0


def test_config_show_prints_values_and_sources(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('fail-on = "never"\n')
    monkeypatch.setenv("AUDITOR_IGNORE", "SR")
    outcome = runner.invoke(app, ["config", "show"])
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    assert any(line.startswith('fail-on = "never"') and line.endswith("# auditor.toml") for line in lines)
    assert any(line.startswith('ignore = ["SR"]') and line.endswith("# environment AUDITOR_IGNORE") for line in lines)
    assert any(line.startswith("select = []") and line.endswith("# default") for line in lines)


def test_the_example_in_the_configuration_guide_is_valid(tmp_path):
    import re

    text = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"^```toml\n(.*?)^```", text, re.MULTILINE | re.DOTALL) if b.startswith("# auditor.toml"))
    (tmp_path / "auditor.toml").write_text(example)
    s = config.resolve({}, env={}, cwd=tmp_path).settings
    assert s.params == {"RF-003": {"ratio": 2.0}} and s.scoring.high_cutoff == 30.0 and s.ignore == ["SR-001"]


def test_fail_on_never_on_the_command_line_exits_0():
    assert runner.invoke(app, ["audit", str(SAMPLE), "--fail-on", "never"]).exit_code == 0


def test_an_unknown_fail_on_level_is_exit_2():
    assert runner.invoke(app, ["audit", str(SAMPLE), "--fail-on", "extreme"]).exit_code == 2
