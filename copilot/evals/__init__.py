"""Eval suites for the policy agent: run requests through it, score the answers with the real engines.

    from copilot.evals.suite import load_suites
    from copilot.evals.runner import EvalOptions, run_eval

    run = run_eval(load_suites(["evals/suites"]), EvalOptions(provider="offline", jobs=2))
    run.report.totals.accuracy

Parts: spec.py (the suite format as models) and suite.py (loading it), scorer.py (a
bundle x acceptance manifests -> verdicts by gator or conftest), case.py (one case end to
end), runner.py (threads, interrupts), totals.py, compare.py (baseline regressions),
text.py / markdown.py / progress.py (what people see), models.py (the report; its JSON
schema is report_schema.json, documented in docs/eval-report-schema.md).
"""
