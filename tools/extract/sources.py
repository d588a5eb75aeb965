"""Turning the paths a user types (files, folders, globs, "-") into the files to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from tools.errors import InputError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
STDIN_NAME = "<stdin>"
_GLOB_CHARS = set("*?[")


PathArg = str | Path | Sequence[str | Path]


def as_path_list(paths: PathArg | None) -> list[str | Path]:
    """One path or a sequence of them, as a list (a lone string is one path, not characters)."""
    if paths is None:
        return []
    if isinstance(paths, str | Path):
        return [paths]
    return list(paths)


def _walk(root: str) -> list[str]:
    """Manifest files under a folder, sorted, skipping hidden folders (.git, .github, ...)."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [
            os.path.join(dirpath, f) for f in sorted(filenames) if f.lower().endswith(MANIFEST_SUFFIXES)
        ]
    return found


def expand_paths(paths: PathArg, *, max_files: int) -> list[str]:
    """Files to read, in the order given, each once; "-" stays as the stdin marker.

    A folder contributes its *.yaml, *.yml and *.json files recursively; a pattern
    with *, ? or [ is a glob (** crosses folders). A path that exists is taken
    literally even when its name holds glob characters.
    """
    files: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.realpath(path) if path != STDIN else STDIN
        if key not in seen:
            seen.add(key)
            files.append(path)
        if len(files) > max_files:
            raise InputError(
                f"more than {max_files} manifest files to read",
                hint="narrow the paths, or raise Limits.max_files",
            )

    for raw in as_path_list(paths):
        path = str(raw)
        if path == STDIN:
            add(STDIN)
        elif os.path.isdir(path):
            for found in _walk(path):
                add(found)
        elif os.path.exists(path):
            add(path)
        elif _GLOB_CHARS & set(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise InputError(f"{path}: no file matches this pattern")
            for match in matches:
                if os.path.isdir(match):
                    for found in _walk(match):
                        add(found)
                else:
                    add(match)
        else:
            raise InputError(f"{path}: no such file or folder", hint="check the path")
    return files
