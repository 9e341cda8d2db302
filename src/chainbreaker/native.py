"""The hot modules of party screening, compiled to C with mypyc where they have been built.

Screening spends its time in a few pure-Python modules (name normalisation, the candidate index,
the name bound and alignment). `chainbreaker native build` (run by `make`) compiles
them with mypyc into extension modules beside their sources, and writes a manifest of the
sources' hashes. Python prefers an extension module to a source of the same name, so a source
edited after the build would be shadowed by its stale extension: on import of `chainbreaker`,
`guard()` compares the manifest with the sources and, when any differs (or the manifest is
missing), makes every compiled module load from its source and says so once on stderr. The
compiled modules call one another directly, so they are used all together or not at all.
Set CHAINBREAKER_PURE=1 to run the sources regardless. Without a build nothing changes: the
sources are the modules.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

#: The modules compiled, in the order given to mypyc. Each must type-check under --strict
#: without lies at run time (mypyc checks declared types when values cross into them).
COMPILED: tuple[str, ...] = (
    "chainbreaker.parties.names.arabic",
    "chainbreaker.parties.names.chinese",
    "chainbreaker.parties.names.given_names",
    "chainbreaker.parties.names.legal_forms",
    "chainbreaker.parties.names.noise",
    "chainbreaker.parties.names.normalise",
    "chainbreaker.parties.names.pinyin",
    "chainbreaker.parties.names.scripts",
    "chainbreaker.parties.names.tables",
    "chainbreaker.parties.names.titles",
    "chainbreaker.parties.names.tokens",
    "chainbreaker.parties.matching.bound",
    "chainbreaker.parties.matching.compare",
    "chainbreaker.parties.matching.index",
    "chainbreaker.parties.matching.representation",
    "chainbreaker.parties.matching.score",
    "chainbreaker.parties.screening",
    "chainbreaker.screen.detectors.context",
    "chainbreaker.screen.detectors.hs_codes",
    "chainbreaker.screen.detectors.indicators",
    "chainbreaker.screen.detectors.parties",
    "chainbreaker.screen.detectors.rule_checks",
    "chainbreaker.screen.detectors.rules",
    "chainbreaker.screen.scoring",
    "chainbreaker.screen.detectors.chemical",
    "chainbreaker.screen.readers.assemble",
    "chainbreaker.screen.readers.columns",
    "chainbreaker.screen.readers.values",
    "chainbreaker.screen.readers.tabular",
)

PURE_ENV = "CHAINBREAKER_PURE"
_SRC = Path(__file__).resolve().parent.parent  # the folder holding the chainbreaker package
MANIFEST = Path(__file__).resolve().parent / "_native.json"


def source_of(module: str, root: Path = _SRC) -> Path:
    """The source file of a compiled module."""
    return root.joinpath(*module.split(".")).with_suffix(".py")


def extensions(root: Path = _SRC) -> dict[str, Path]:
    """Every extension module inside the package, by module name (a build's, and any left by
    an earlier build of a longer list)."""
    suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
    found: dict[str, Path] = {}
    for path in (root / "chainbreaker").rglob("*.so"):
        name = path.relative_to(root).as_posix()
        suffix = next((x for x in suffixes if name.endswith(x)), None)
        if suffix is not None:
            found[name[: -len(suffix)].replace("/", ".")] = path
    return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built(root: Path = _SRC) -> bool:
    """True when some module of the package has an extension beside its source."""
    return bool(extensions(root))


def stale(
    root: Path = _SRC, manifest: Path = MANIFEST, found: dict[str, Path] | None = None
) -> list[str]:
    """The compiled modules whose extension does not match its source (all of them when the
    manifest is missing or unreadable, or a module has no extension), and any extension of a
    module that is not on the list. `found`: the package's `extensions`, when already read."""
    found = extensions(root) if found is None else found
    extras = sorted(set(found) - set(COMPILED))
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [*COMPILED, *extras]
    if not isinstance(recorded, dict):
        return [*COMPILED, *extras]
    return [
        m
        for m in COMPILED
        if m not in found
        or not source_of(m, root).exists()
        or recorded.get(m) != _digest(source_of(m, root))
    ] + extras


class SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the named modules from their `.py` sources, ahead of any extension module."""

    def __init__(self, modules: Sequence[str], root: Path = _SRC) -> None:
        self.sources = {m: source_of(m, root) for m in modules}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None or not source.exists():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def guard(root: Path = _SRC, manifest: Path = MANIFEST) -> str:
    """Choose compiled or source modules (see the module doc); says which: "compiled",
    "source" (nothing built, or CHAINBREAKER_PURE set) or "stale" (sources used)."""
    found = extensions(root)  # one walk of the package: this runs at every start
    if not found:
        return "source"
    every = [*COMPILED, *sorted(set(found) - set(COMPILED))]
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        sys.meta_path.insert(0, SourceFirst(every, root))
        return "source"
    if not stale(root, manifest, found):
        return "compiled"
    sys.meta_path.insert(0, SourceFirst(every, root))
    if os.environ.get("_CHAINBREAKER_NATIVE_WARNED") is None:
        os.environ["_CHAINBREAKER_NATIVE_WARNED"] = "1"  # once per run, workers included
        print(
            "chainbreaker: compiled modules are out of date with their sources; running the "
            "sources (slower). Rebuild with `chainbreaker native build`.",
            file=sys.stderr,
        )
    return "stale"


def build(root: Path = _SRC, manifest: Path = MANIFEST, *, force: bool = False) -> bool:
    """Compile the modules with mypyc (in place) and write the manifest; False when the
    build was already up to date. Needs mypy (a development dependency) and a C compiler."""
    if not force and built(root) and not stale(root, manifest):
        return False
    clean(root, manifest)  # a failed build leaves nothing: the sources are used
    files = [str(source_of(m, root).relative_to(root)) for m in COMPILED]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mypyc", *files],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:  # say why (mypyc's type errors, the compiler's), not every step
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise subprocess.CalledProcessError(done.returncode, "mypyc", output=tail)
    finally:
        shutil.rmtree(root / "build", ignore_errors=True)  # mypyc's C sources and objects
    digests = {m: _digest(source_of(m, root)) for m in COMPILED}
    manifest.write_text(json.dumps(digests, indent=1, sort_keys=True), encoding="utf-8")
    return True


def clean(root: Path = _SRC, manifest: Path = MANIFEST) -> int:
    """Remove the compiled extensions and the manifest; the number of files removed."""
    removed = 0
    for extension in extensions(root).values():
        extension.unlink()
        removed += 1
    for shared in root.glob("*__mypyc*"):
        shared.unlink()
        removed += 1
    if manifest.exists():
        manifest.unlink()
        removed += 1
    return removed
