"""Running the real `govaudit` console script in e2e tests."""
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "govaudit"


def cli(*args, check: bool = True, cwd=None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `govaudit ARGS…`; with `check`, a non-zero exit fails the test with its stderr."""
    result = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                            env={**os.environ, "COLUMNS": "200"})
    if check and result.returncode != 0:
        raise AssertionError(f"govaudit {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result
