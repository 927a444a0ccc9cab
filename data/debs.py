"""Fetch and unpack the Debian packages that hold the raw corpora.

For each package: use ``<cache>/<name>_*.deb`` if present, else run ``apt-get download`` in
the cache directory; unpack it with ``dpkg -x`` into ``<cache>/root`` (once, remembered by a
marker file). If no ``.deb`` can be had, fall back to the files of an installed package under
``/usr/share``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE = Path(".cache/debs")
INSTALLED_ROOT = Path("/")


@dataclass(frozen=True)
class Package:
    """A Debian package and one file it ships (relative to ``/``) to check it is there."""

    name: str
    probe: str


TRANS_DE_EN = Package("trans-de-en", "usr/share/trans/de-en")
SWORD_SPARV = Package("sword-text-sparv", "usr/share/sword/mods.d/spaRV1909eb.conf")
SWORD_WEB = Package("sword-text-web", "usr/share/sword/mods.d/engWEB2015eb.conf")


def find_deb(cache: Path, name: str) -> Path | None:
    """Newest-named cached ``.deb`` of a package, if any."""
    debs = sorted(cache.glob(f"{name}_*.deb"))
    return debs[-1] if debs else None


def download_deb(cache: Path, name: str) -> Path | None:
    """Run ``apt-get download`` into ``cache``; ``None`` if it is unavailable or fails."""
    if shutil.which("apt-get") is None:
        return None
    print(f"  apt-get download {name}", file=sys.stderr)
    result = subprocess.run(
        ["apt-get", "download", name], cwd=cache, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        print(f"  apt-get download {name} failed: {result.stderr.strip()}", file=sys.stderr)
    return find_deb(cache, name)


def extract_deb(deb: Path, root: Path) -> None:
    """``dpkg -x`` a package into ``root`` unless this exact file was extracted before."""
    marker = root / f".extracted-{deb.name}"
    if marker.exists():
        return
    if shutil.which("dpkg") is None:
        raise RuntimeError(f"dpkg is needed to unpack {deb}")
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    marker.touch()


def package_root(package: Package, cache: Path = DEFAULT_CACHE) -> Path:
    """Directory that holds ``package``'s files (its probe file exists below it)."""
    cache.mkdir(parents=True, exist_ok=True)
    deb = find_deb(cache, package.name) or download_deb(cache, package.name)
    root = cache / "root"
    if deb is not None:
        extract_deb(deb, root)
        if (root / package.probe).exists():
            return root
    if (INSTALLED_ROOT / package.probe).exists():
        print(f"  using installed files of {package.name}", file=sys.stderr)
        return INSTALLED_ROOT
    raise FileNotFoundError(
        f"{package.name}: no .deb in {cache} (apt-get download failed) and not installed; "
        f"put {package.name}_*.deb into {cache} or install it"
    )
