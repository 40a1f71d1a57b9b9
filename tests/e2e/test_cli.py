"""CLI behaviour that needs no crawl: init, config errors, empty stores."""

from .govaudit_cli import cli as run_cli


def cli(*args, cwd=None):
    return run_cli(*args, check=False, cwd=cwd, timeout=120)


def test_init_writes_a_valid_config_and_refuses_to_overwrite(tmp_path):
    assert cli("init", tmp_path / "sites.yaml").returncode == 0
    again = cli("init", tmp_path / "sites.yaml")
    assert again.returncode != 0 and "--force" in again.stderr


def test_bad_config_names_file_field_and_fix(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("departments:\n  - {id: jyj, name: 教育局}\nsites:\n"
                    "  - {id: jyj, name: 教育局, department: jyjj, start_urls: [http://a.gov.cn/]}\n", encoding="utf-8")
    result = cli("crawl", path)
    assert result.returncode == 2
    assert f"{path}: sites[0].department: unknown department 'jyjj'" in result.stderr
    assert "fix:" in result.stderr and "Traceback" not in result.stderr


def test_empty_store_is_explained(tmp_path):
    result = cli("findings", "--db", tmp_path / "empty.db")
    assert result.returncode == 1 and "no complete run" in result.stderr


def test_help_teaches(tmp_path):
    out = cli("--help").stdout
    for command in ("crawl", "audit", "report", "runs", "run", "columns", "findings", "demo", "init"):
        assert f"  {command}" in out
