#!/usr/bin/env python3
"""Copy the front-end files `make assets` needs from node_modules/ into hoshin/static/vendor/.

Trailing source-map comments are stripped: the .map files are not copied, and whitenoise's
manifest storage fails on a reference to a file that does not exist.
Standard library only, so it runs before the virtualenv exists.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "hoshin" / "static" / "vendor"

# (source under node_modules, destination under hoshin/static/vendor)
FILES = [
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap.rtl.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"),
    (
        "swagger-ui-dist/swagger-ui-standalone-preset.js",
        "swagger-ui/swagger-ui-standalone-preset.js",
    ),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"),
    ("swagger-ui-dist/favicon-32x32.png", "swagger-ui/favicon-32x32.png"),
    ("swagger-ui-dist/favicon-16x16.png", "swagger-ui/favicon-16x16.png"),
    ("swagger-ui-dist/LICENSE", "swagger-ui/LICENSE"),
    ("htmx.org/LICENSE", "LICENSE.htmx"),
    ("bootstrap/LICENSE", "LICENSE.bootstrap"),
]

# `//# sourceMappingURL=...` lines and `/*# sourceMappingURL=... */` comments.
SOURCE_MAP = re.compile(
    rb"(?m)^[ \t]*//[#@][ \t]*sourceMappingURL=[^\r\n]*\r?\n?"
    rb"|/\*[#@][ \t]*sourceMappingURL=[^*]*\*/"
)


def main() -> int:
    missing = [src for src, _ in FILES if not (NODE / src).is_file()]
    if missing:
        print("copy_assets: missing in node_modules (run npm ci):", *missing, sep="\n  ")
        return 1
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for src, dst in FILES:
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (NODE / src).read_bytes()
        if target.suffix in {".js", ".css"}:
            data = SOURCE_MAP.sub(b"", data).rstrip() + b"\n"
        target.write_bytes(data)
    print(f"copy_assets: {len(FILES)} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
