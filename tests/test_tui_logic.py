"""The chat app's pure logic, without a screen: commands, colouring, versions, rows, progress, answers."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from copilot.llm.mock import MockModel
from copilot.llm.script import bundle_as_draft
from copilot.tui import highlight
from copilot.tui.answer import answer_markdown, explain_markdown
from copilot.tui.commands import Command, help_markdown, parse_command
from copilot.tui.progress import ProgressFormatter, event_draft, event_report
from copilot.tui.rows import impact_rows, impact_summary, report_rows
from copilot.tui.session import Session
from copilot.tui.status import Toolchain, provider_label, toolchain
from copilot.tui.versions import History, draft_files, unified_diff
from tools.draft.models import PolicyDraft
from tools.errors import InputError
from tools.explain.models import ExplainedViolation, Explanation, Fix, ObjectExplanation, Reverification
from tools.models import Finding
from tools.scan.models import ObjectResult, ScanReport, ScanSummary, Violation
from tools.verify.models import CheckOutcome, FixtureVerdict, VerificationReport

REPO = Path(__file__).resolve().parents[1]
PRIVILEGED = REPO / "policies" / "pod-security" / "privileged-containers"


@pytest.fixture(scope="module")
def draft() -> PolicyDraft:
    return PolicyDraft.model_validate(bundle_as_draft(PRIVILEGED))


def _report(ok: bool) -> VerificationReport:
    checks = [
        CheckOutcome(name="opa check", ok=True, summary="no errors"),
        CheckOutcome(
            name="opa test",
            ok=ok,
            summary="5/5 tests pass" if ok else "1/5 tests fail",
            findings=[]
            if ok
            else [Finding(id="opa-test/fail", message="test_deny failed", file="src_test.rego", row=7)],
        ),
    ]
    fixtures = [
        FixtureVerdict(file="example_disallowed.yaml", expected="deny", actual="deny" if ok else "allow"),
        FixtureVerdict(file="example_allowed.yaml", expected="allow", actual="allow"),
    ]
    return VerificationReport(bundle="b", ok=ok, checks=checks, fixtures=fixtures, coverage=100.0)


class TestCommands:
    def test_plain_text_is_a_request(self) -> None:
        assert parse_command("deny privileged containers") is None

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("/save out/x", Command("save", "out/x")),
            ("/TARGET Conftest", Command("target", "conftest")),
            ("  /scan  manifests/ ", Command("scan", "manifests/")),
            ("/new", Command("new")),
            ("/help", Command("help")),
        ],
    )
    def test_parses(self, line: str, expected: Command) -> None:
        assert parse_command(line) == expected

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("/frobnicate", "unknown command /frobnicate"),
            ("/save", "/save needs DIR"),
            ("/new now", "/new takes no argument"),
            ("/target kyverno", "unknown target 'kyverno'"),
        ],
    )
    def test_rejects_with_a_usable_message(self, line: str, message: str) -> None:
        with pytest.raises(InputError, match=message):
            parse_command(line)

    def test_help_lists_every_command_and_key(self) -> None:
        text = help_markdown()
        for name in ("/save DIR", "/target", "/provider NAME", "/scan PATH", "/explain FILE", "/eval SUITE"):
            assert name in text
        for key in ("ctrl+s", "ctrl+n", "esc", "ctrl+q", "f1"):
            assert f"`{key}" in text


class TestHighlight:
    def _styles(self, text: str, word: str) -> set[str]:
        rendered = highlight.rego(text)
        start = rendered.plain.index(word)
        return {str(span.style) for span in rendered.spans if span.start <= start < span.end}

    def test_keywords_heads_and_strings(self) -> None:
        source = 'violation contains msg if {\n\tnot ok\n\tmsg := "must not run"\n}\n'
        assert "bold #c678dd" in self._styles(source, "contains")
        assert "bold #61afef" in self._styles(source, "violation")
        assert self._styles(source, "must not") == {"#98c379"}

    def test_comments_win_over_keywords(self) -> None:
        assert self._styles("# if this is not set\n", "not") == {"italic #7f848e"}

    def test_tabs_become_spaces(self) -> None:
        assert highlight.rego("a if {\n\tb\n}").plain == "a if {\n    b\n}"

    def test_yaml_keys_and_diff_colours(self) -> None:
        yaml_text = highlight.yaml_text("kind: Pod\nprivileged: true\n")
        assert any(str(s.style) == "#61afef" for s in yaml_text.spans)
        diff = highlight.diff("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new")
        styles = {diff.plain[s.start : s.end].strip(): str(s.style) for s in diff.spans}
        assert styles["-old"] == "#e06c75" and styles["+new"] == "#98c379"


class TestVersions:
    def test_diff_names_the_changed_file_and_lines(self, draft: PolicyDraft) -> None:
        changed = draft.model_copy(update={"src_rego": draft.src_rego.replace("== true", "== false")})
        diff = unified_diff(draft, changed)
        assert "--- a/src.rego" in diff and "+++ b/src.rego" in diff
        assert "-\tentry.container.securityContext.privileged == true" in diff
        assert "+\tentry.container.securityContext.privileged == false" in diff
        assert "src_test.rego" not in diff  # unchanged files stay out

    def test_no_diff_without_a_previous_version(self, draft: PolicyDraft) -> None:
        assert unified_diff(None, draft) == ""
        assert unified_diff(draft, draft) == ""

    def test_history_records_new_drafts_and_updates_reports_of_the_same(self, draft: PolicyDraft) -> None:
        history = History()
        first = history.record(draft, "turn 1, round 1")
        assert history.record(draft, "again", _report(True)) is first
        assert first.report is not None and first.verified and len(history.versions) == 1
        changed = draft.model_copy(update={"title": "Privileged containers (strict)"})
        second = history.record(changed, "turn 2")
        assert (history.previous, history.current) == (first, second)
        assert second.number == 2 and "title" not in history.diff()  # title is not a file

    def test_fixture_file_names_each_fixture(self, draft: PolicyDraft) -> None:
        fixtures = draft_files(draft)["fixtures.yaml"]
        for fixture in draft.fixtures:
            assert f"# {fixture.name}: expected {fixture.expected}\n" in fixtures
        assert fixtures.count("\n---\n") == len(draft.fixtures) - 1


class TestRows:
    def test_report_rows_put_failures_in_detail(self) -> None:
        rows = report_rows(_report(False))
        assert [(r.kind, r.result) for r in rows] == [
            ("check", "ok"),
            ("check", "FAIL"),
            ("fixture", "FAIL"),
            ("fixture", "ok"),
        ]
        assert "src_test.rego:7: test_deny failed" in rows[1].detail
        assert rows[2].summary == "expected deny, got allow" and rows[2].failed

    def test_impact_rows_list_denied_objects_first(self) -> None:
        denied = ObjectResult(
            kind="Pod",
            api_version="v1",
            name="root",
            namespace="prod",
            file="m/pod.yaml",
            line=3,
            verdict="deny",
            violations=[Violation(id="K/x", message="container must not run privileged")],
        )
        allowed = ObjectResult(kind="Pod", api_version="v1", name="ok", file="m/a.yaml", line=1)
        report = ScanReport(
            summary=ScanSummary(objects=2, denied=1, allowed=1, files=2), results=[allowed, denied]
        )
        rows = impact_rows(report)
        assert [r.result for r in rows] == ["deny", "allow"]
        assert rows[0].name == "Pod prod/root" and rows[0].kind == "m/pod.yaml:3"
        assert "container must not run privileged" in rows[0].detail
        assert impact_summary(report, "m/") == "would deny 1 of 2 objects in 2 files under m/"

    def test_explanations_say_why_and_what_to_change(self) -> None:
        violation = ExplainedViolation(
            id="K8sRequireOwnerLabel/owner",
            message="Deployment web:  label owner is missing",
            constraint_kind="K8sRequireOwnerLabel",
            constraint_name="owner",
            field="metadata.labels.owner",
            fix=Fix(kind="manual", summary="no automatic fix", expected="a team name"),
        )
        denied = ObjectExplanation(
            kind="Deployment",
            api_version="apps/v1",
            name="web",
            namespace="shop",
            file="m.yaml",
            line=1,
            verdict="deny",
            violations=[violation],
            reverification=Reverification(status="not-fixed", admitted=False, summary="still denied"),
        )
        admitted = ObjectExplanation(kind="Pod", api_version="v1", name="ok", file="m.yaml", line=30)
        text = explain_markdown(Explanation(manifest="m.yaml", objects=[denied, admitted]), "owner")
        assert text.splitlines() == [
            "**owner** on `m.yaml`: 1 of 2 objects denied",
            "",
            "- `Deployment shop/web` (m.yaml:1): **deny**",
            "  - why: Deployment web: label owner is missing",
            "  - field: `metadata.labels.owner`",
            "  - fix (manual): no automatic fix",
            "  - needs: a team name",
            "  - re-verified: still denied",
            "- `Pod ok` (m.yaml:30): admitted",
        ]
        assert (
            explain_markdown(Explanation(manifest="e.yaml"), "owner")
            == "`e.yaml` holds no Kubernetes object to evaluate."
        )


class TestProgress:
    def _event(self, kind: str, message: str = "", **data: object) -> SimpleNamespace:
        return SimpleNamespace(kind=kind, message=message, data=data)

    def test_steps_become_lines_and_frequent_events_only_activity(self) -> None:
        fmt = ProgressFormatter()
        line = fmt.update(self._event("verify_round", "verify round 1: 3/5 fixtures pass, 7/9 checks"))
        assert line.line == "… verify round 1: 3/5 fixtures pass, 7/9 checks"
        assert fmt.update(self._event("check", "opa test")).line is None
        fmt.update(self._event("drafting", "drafting with mock"))
        streamed = fmt.update(self._event("text", delta="hello "))
        assert streamed.line is None and streamed.activity == "drafting with mock · model wrote 6 characters"
        assert fmt.update(self._event("verified", "verified: 8/8 checks")).line == "✔ verified: 8/8 checks"
        assert fmt.update(self._event("not_verified")).line == "✘ not verified"

    def test_drafts_and_reports_are_read_from_event_data(self, draft: PolicyDraft) -> None:
        event = self._event(
            "verify_round", draft=draft.model_dump(mode="json"), report=_report(True).model_dump()
        )
        assert event_draft(event) == draft
        report = event_report(event)
        assert report is not None and report.ok
        assert event_draft(self._event("verify_round", draft={"nonsense": 1})) is None
        assert event_report(self._event("submitted")) is None


class TestAnswers:
    def _result(
        self, draft: PolicyDraft, status: str, report: VerificationReport | None, **extra: object
    ) -> object:
        from copilot.agent.state import AgentResult

        return AgentResult(
            status=status,  # type: ignore[arg-type]
            request="r",
            policy_id=draft.policy_id,
            draft=draft,
            report=report,
            **extra,  # type: ignore[arg-type]
        )

    def test_verified(self, draft: PolicyDraft) -> None:
        result = self._result(
            draft,
            "verified",
            _report(True),
            rounds=2,
            explanation="Verified policy x (K): t.\nsummary\nExempt namespaces: kube-system.",
        )
        text = answer_markdown(result)
        assert text.startswith("**Verified** `privileged-containers`")
        assert "after 1 repair round." in text and "Exempt namespaces: kube-system." in text

    def test_a_red_report_is_never_called_verified(self, draft: PolicyDraft) -> None:
        # Even a result that claims "verified" is not presented so when its report is red.
        text = answer_markdown(self._result(draft, "verified", _report(False)))
        assert "**Verified**" not in text
        text = answer_markdown(
            self._result(draft, "not_verified", _report(False), rounds=3, reason="bound reached")
        )
        assert text.startswith("**Not verified**") and "- **opa test**: 1/5 tests fail" in text
        assert "- **fixtures** with the wrong verdict: `example_disallowed.yaml`" in text
        assert "bound reached" in text and "**not** a policy" in text

    def test_declined_and_cancelled(self, draft: PolicyDraft) -> None:
        assert "not a Kubernetes policy" in answer_markdown(
            self._result(draft, "declined", None, reason="not a Kubernetes policy")
        )
        assert answer_markdown(self._result(draft, "cancelled", None)).startswith("**Cancelled.**")


class TestSessionAndStatus:
    def test_new_thread_forgets_the_policy(self, draft: PolicyDraft) -> None:
        session = Session(model=MockModel())
        thread = session.thread_id
        with pytest.raises(InputError, match="no policy yet"):
            session.current_draft()
        session.history.record(draft, "turn 1")
        assert session.current_draft() == draft
        session.new_thread()
        assert session.thread_id != thread and session.current is None

    def test_targets_are_checked(self) -> None:
        session = Session(model=MockModel())
        session.set_target("conftest")
        with pytest.raises(InputError):
            session.set_target("opa")

    def test_labels(self) -> None:
        assert provider_label(MockModel(model_id="scripted")) == "mock scripted"
        assert provider_label(MockModel()) == "mock"
        assert Toolchain(()).label() == "engines ok"
        assert Toolchain(("gator",)).label() == "missing: gator"
        assert toolchain().ok  # the test environment has the pinned engines
