"""Running an engine binary: private temp dir, timeout, minimal environment, safe capabilities."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.engine.binaries import engine_info, tool_path
from tools.errors import EngineError, EngineTimeout
from tools.paths import cache_dir

DEFAULT_TIMEOUT = 60.0

# Builtins generated Rego must never reach: network access and the OPA runtime's
# environment (which would expose the host's env vars and config).
FORBIDDEN_BUILTINS = frozenset({"http.send", "net.lookup_ip_addr", "opa.runtime"})


@dataclass
class RunResult:
    """The raw outcome of one engine process."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def minimal_env(home: Path) -> dict[str, str]:
    """No API keys, proxies or tokens from the caller's environment reach an engine."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home),
        "NO_COLOR": "1",
    }


def run_engine(
    name: str,
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: str | None = None,
    cwd: Path | None = None,
) -> RunResult:
    """Runs engine `name` with `args` in a private temp dir; raises EngineTimeout past `timeout` seconds.

    The process runs in `cwd` (default: the caller's working directory, so relative paths
    and the locations in findings stay the user's), while HOME and TMPDIR point at a
    private temp dir that is removed afterwards: engines keep no state between runs.
    """
    binary = tool_path(name)
    with tempfile.TemporaryDirectory(prefix=f"kpc-{name}-") as private:
        workdir = cwd or Path.cwd()
        argv = [str(binary), *args]
        try:
            proc = subprocess.run(
                argv,
                cwd=workdir,
                env=minimal_env(Path(private)),
                input=stdin,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineTimeout(
                f"{name} did not finish within {timeout:g}s",
                hint="the policy may loop over a very large input; simplify it or raise the timeout",
            ) from exc
        except OSError as exc:
            raise EngineError(f"could not start {binary}: {exc}", hint="run `kpc doctor`") from exc
    return RunResult(args=argv, returncode=proc.returncode, stdout=proc.stdout, stderr=proc.stderr)


def capabilities_file() -> Path:
    """An OPA capabilities file: the current OPA's builtins minus the forbidden ones. Cached per version."""
    version = engine_info("opa").version or "unknown"
    target = cache_dir() / f"opa-capabilities-{version}.json"
    if target.is_file():
        return target
    result = run_engine("opa", ["capabilities", "--current"])
    if result.returncode != 0:
        raise EngineError(f"opa capabilities failed: {result.stderr.strip()}")
    caps = json.loads(result.stdout)
    caps["builtins"] = [b for b in caps.get("builtins", []) if b.get("name") not in FORBIDDEN_BUILTINS]
    # Written next to the target, then renamed: concurrent runs never see a half-written file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(caps, fh)
    os.replace(tmp, target)
    return target
