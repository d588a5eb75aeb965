"""policies/lib: the shared Rego passes its own tests, strict checks, opa fmt and Regal."""

from __future__ import annotations

from tools.engine import opa_check, opa_fmt, opa_test, regal_lint


def test_lib_tests_pass_with_coverage(repo) -> None:  # type: ignore[no-untyped-def]
    files = sorted((repo / "policies" / "lib").glob("*.rego"))
    result = opa_test(files)
    assert result.ok, [f.message for f in result.findings]
    assert result.passed >= 20
    for path, cov in result.file_coverage.items():
        if not path.endswith("_test.rego"):
            assert cov >= 85, f"{path} coverage {cov}"


def test_lib_is_clean(repo) -> None:  # type: ignore[no-untyped-def]
    files = sorted((repo / "policies" / "lib").glob("*.rego"))
    assert opa_check(files).ok
    assert opa_fmt(files).ok
    lint = regal_lint(files)
    assert lint.ok, [f"{f.location()} {f.id}" for f in lint.findings]
