"""Locating the pinned policy engines and checking that they are the pinned versions.

The pins live in toolchain/<tool>/go.mod (with go.sum as checksums); `make setup`
builds them into .tools/bin. The version of a binary is read from the Go build info
embedded in it, so no tool's own `version` output (some print "unknown") is trusted.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from tools.errors import EngineMissing

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLCHAIN_DIR = REPO_ROOT / "toolchain"
DEFAULT_BIN_DIR = REPO_ROOT / ".tools" / "bin"
FIX_HINT = "run `make setup` (or `make run`), then `kpc doctor`"

# tool name -> Go module that provides it
ENGINES: dict[str, str] = {
    "opa": "github.com/open-policy-agent/opa",
    "regal": "github.com/open-policy-agent/regal",
    "conftest": "github.com/open-policy-agent/conftest",
    "gator": "github.com/open-policy-agent/gatekeeper/v3",
}

_BUILDINFO_MAGIC = b"\xff Go buildinf:"


@dataclass(frozen=True)
class EngineInfo:
    """What `kpc doctor` reports for one engine."""

    name: str
    path: Path | None
    version: str | None
    pinned: str | None

    @property
    def ok(self) -> bool:
        return self.path is not None and (self.pinned is None or self.version == self.pinned)


def bin_dir() -> Path:
    """Where engines are looked up first: $KPC_TOOLS_BIN, else the repo's .tools/bin."""
    env = os.environ.get("KPC_TOOLS_BIN")
    return Path(env) if env else DEFAULT_BIN_DIR


@functools.cache
def pinned_version(name: str) -> str | None:
    """The version toolchain/<name>/go.mod requires, or None outside a source checkout."""
    gomod = TOOLCHAIN_DIR / name / "go.mod"
    if not gomod.is_file():
        return None
    module = re.escape(ENGINES[name])
    match = re.search(rf"^\s*(?:require\s+)?{module}\s+(v\S+)", gomod.read_text(), re.MULTILINE)
    return match.group(1) if match else None


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _elf_buildinfo_section(path: Path) -> bytes | None:
    """The .go.buildinfo section of a 64-bit little-endian ELF file, read without loading the binary."""
    with path.open("rb") as fh:
        header = fh.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return None
        shoff = int.from_bytes(header[0x28:0x30], "little")
        shentsize = int.from_bytes(header[0x3A:0x3C], "little")
        shnum = int.from_bytes(header[0x3C:0x3E], "little")
        shstrndx = int.from_bytes(header[0x3E:0x40], "little")
        fh.seek(shoff)
        table = fh.read(shentsize * shnum)
        sections = []
        for i in range(shnum):
            entry = table[i * shentsize : (i + 1) * shentsize]
            name = int.from_bytes(entry[0:4], "little")
            offset = int.from_bytes(entry[0x18:0x20], "little")
            size = int.from_bytes(entry[0x20:0x28], "little")
            sections.append((name, offset, size))
        _, str_off, str_size = sections[shstrndx]
        fh.seek(str_off)
        names = fh.read(str_size)
        for name, offset, size in sections:
            if names[name:].split(b"\0", 1)[0] == b".go.buildinfo":
                fh.seek(offset)
                return fh.read(size)
    return None


def _module_version_from_buildinfo(path: Path, module: str) -> str | None:
    """Reads the main or dependency version of `module` from a Go binary's build info."""
    data = _elf_buildinfo_section(path) or path.read_bytes()
    start = data.find(_BUILDINFO_MAGIC)
    if start < 0 or len(data) < start + 32:
        return None
    flags = data[start + 15]
    if not flags & 0x2:  # pre-1.18 pointer-based layout: not produced by our toolchain
        return None
    pos = start + 32
    length, pos = _read_varint(data, pos)  # Go version string, skipped
    pos += length
    length, pos = _read_varint(data, pos)
    modinfo = data[pos : pos + length].decode("utf-8", "replace")
    for line in modinfo.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0] in ("mod", "dep") and fields[1] == module:
            return fields[2]
    return None


@functools.cache
def _cached_version(path: str, size: int, mtime_ns: int, module: str) -> str | None:
    del size, mtime_ns  # part of the cache key only: a rebuilt binary is read again
    return _module_version_from_buildinfo(Path(path), module)


def _find(name: str) -> Path | None:
    candidate = bin_dir() / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    if os.environ.get("KPC_ALLOW_PATH_ENGINES") == "1":
        found = shutil.which(name)
        return Path(found) if found else None
    return None


def engine_info(name: str) -> EngineInfo:
    """Locates engine `name` and reads its version without running it."""
    path = _find(name)
    version = None
    if path is not None:
        stat = path.stat()
        version = _cached_version(str(path), stat.st_size, stat.st_mtime_ns, ENGINES[name])
    return EngineInfo(name=name, path=path, version=version, pinned=pinned_version(name))


@functools.cache
def tool_path(name: str) -> Path:
    """The path of a usable engine binary, or EngineMissing naming the fix."""
    if name not in ENGINES:
        raise EngineMissing(f"unknown policy engine {name!r}")
    info = engine_info(name)
    if info.path is None:
        raise EngineMissing(f"{name} is not installed in {bin_dir()}", hint=FIX_HINT)
    if not info.ok:
        raise EngineMissing(
            f"{name} at {info.path} is {info.version or 'an unknown version'}, expected {info.pinned}",
            hint=FIX_HINT,
        )
    return info.path
