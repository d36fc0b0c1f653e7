"""Build hook: compile ``src/skillmatch/read/_pdfscan.c``, the C loops of the PDF reader.

The library links to nothing and includes no Python header (pdfium's functions come in as
pointers at run time; see ``skillmatch/read/pdf_native.py``), so any C compiler will do. Where
none is found the build goes on without it and the reader runs the same loops in Python.

- ``pip install -e .`` builds it next to its source, where the editable install imports from;
- a wheel gets it as ``skillmatch/read/_pdfscan.so`` and a platform tag.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src", "skillmatch", "read", "_pdfscan.c")
LIBRARY = "_pdfscan.so"


def compiler() -> list[str] | None:
    """The C compiler command: ``$CC``, Python's own, or ``cc``; ``None`` when none runs."""
    for command in (os.environ.get("CC"), sysconfig.get_config_var("CC"), "cc", "gcc", "clang"):
        if command and shutil.which(shlex.split(command)[0]):
            return shlex.split(command)
    return None


def compile_library(source: Path, target: Path) -> str | None:
    """Compile ``source`` into the shared library ``target``; why not, or ``None``."""
    command = compiler()
    if command is None:
        return "no C compiler found"
    target.parent.mkdir(parents=True, exist_ok=True)
    arguments = [*command, "-O2", "-fPIC", "-shared", "-o", str(target), str(source)]
    result = subprocess.run(arguments, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return f"the compiler failed: {result.stderr.strip()[:500]}"
    return None


class PdfScanBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles the PDF reader's C loops into the wheel (or next to the source)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        source = Path(self.root, SOURCE)
        if version == "editable":
            target = source.with_name(LIBRARY)
        else:
            target = Path(self.directory, "pdfscan-build", LIBRARY)
        problem = compile_library(source, target)
        if problem is not None:
            self.app.display_warning(
                f"skillmatch: the PDF reader's C loops were not built ({problem}); "
                "it will run the same loops in Python, several times slower on some PDFs"
            )
            return
        if version != "editable":
            build_data["force_include"][str(target)] = "skillmatch/read/" + LIBRARY
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
