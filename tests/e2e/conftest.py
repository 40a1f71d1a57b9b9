"""End-to-end test plumbing: the demo portal's per-rule precision/recall table in the pytest output.

`test_demo_e2e` records one row per (week, rule) through the ``demo_scores`` fixture;
``pytest_terminal_summary`` prints them as a table after the run (with or without -s).
"""
import pytest

SCORES = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[SCORES] = []


@pytest.fixture(scope="session")
def demo_scores(request) -> list:
    """Rows of (week, rule, true positives, false positives, false negatives)."""
    return request.config.stash[SCORES]


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "  - "


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = config.stash.get(SCORES, [])
    if not rows:
        return
    terminalreporter.section("demo portal: precision and recall per rule")
    terminalreporter.write_line(f"{'week':>4}  {'rule':<18} {'TP':>3} {'FP':>3} {'FN':>3}  {'precision':>9}  {'recall':>6}")
    for week, rule, tp, fp, fn in sorted(rows):
        terminalreporter.write_line(f"{week:>4}  {rule:<18} {tp:>3} {fp:>3} {fn:>3}  "
                                    f"{_ratio(tp, tp + fp):>9}  {_ratio(tp, tp + fn):>6}")
