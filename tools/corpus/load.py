"""Loading exemplar policies from policies/<category>/<id>/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.bundle import load_yaml_file

POLICIES_DIR = Path(__file__).resolve().parents[2] / "policies"


@dataclass
class Exemplar:
    """One corpus policy: its folder, its meta.yaml and its Rego source."""

    path: Path
    meta: dict[str, Any]
    source: str = field(repr=False)

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def category(self) -> str:
        return self.path.parent.name

    @property
    def kind(self) -> str:
        return str(self.meta["kind"])


def policy_dirs(root: Path = POLICIES_DIR) -> list[Path]:
    """Every folder under `root` that holds a meta.yaml (policies/lib is not a policy)."""
    return sorted(p.parent for p in root.glob("*/*/meta.yaml") if p.parent.parent.name != "lib")


def load_exemplar(path: Path) -> Exemplar:
    """Reads one policy folder."""
    meta = load_yaml_file(path / "meta.yaml") or {}
    return Exemplar(path=path, meta=meta, source=(path / "src.rego").read_text())


def load_corpus(root: Path = POLICIES_DIR) -> list[Exemplar]:
    """All exemplars, sorted by category then id."""
    return [load_exemplar(p) for p in policy_dirs(root)]
