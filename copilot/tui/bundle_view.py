"""The texts the policy pane shows for a draft, as the bundle writer would write them (no UI).

The template and the conftest variant are generated files; rather than re-deriving
them here, the draft is written to a temporary bundle with tools.bundle_writer and
read back, so the pane shows exactly what /save would write.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from copilot.tui.versions import draft_files
from tools.bundle_writer import write_bundle
from tools.draft.models import PolicyDraft
from tools.errors import KpcError


def _read(path: Path) -> str:
    return path.read_text() if path.is_file() else ""


def bundle_texts(bundle: Path) -> dict[str, str]:
    """Tab id -> text, from a bundle folder."""
    constraint = _read(bundle / "constraint.yaml")
    template = _read(bundle / "template.yaml")
    conftest = _read(bundle / "conftest" / "policy" / "main.rego")
    return {
        "constraint": constraint + ("---\n" + template if template else ""),
        "conftest": conftest,
    }


def view_files(draft: PolicyDraft, bundle_dir: str | Path | None = None) -> dict[str, str]:
    """Tab id -> text for every file tab. Uses `bundle_dir` when the agent already wrote one.

    A draft the generator cannot render (e.g. Rego that does not parse) still shows its
    hand-written parts; the generated tabs then say why they are empty.
    """
    own = draft_files(draft)
    files = {
        "rego": own["src.rego"],
        "tests": own["src_test.rego"],
        "fixtures": own["fixtures.yaml"],
        "constraint": own["constraint.yaml"],
        "conftest": "",
    }
    try:
        if bundle_dir is not None and Path(bundle_dir, "template.yaml").is_file():
            files.update(bundle_texts(Path(bundle_dir)))
        else:
            with tempfile.TemporaryDirectory(prefix="kpc-chat-view-") as tmp:
                files.update(bundle_texts(write_bundle(draft, Path(tmp) / draft.policy_id)))
    except (KpcError, OSError, ValueError) as exc:
        files["conftest"] = f"# cannot generate the template and conftest variant: {exc}\n"
    if draft.target == "gatekeeper" and not files["conftest"]:
        files["conftest"] = "# no conftest variant: the target is gatekeeper (/target both adds it)\n"
    return files
