"""The files the program ships (letter templates, notebooks) and the user's folder that overrides them.

An installed package carries them as package data in ``debiteuren/bundled/``
(setup.py's build step copies them there from the repository); a checkout
uses the repository's ``letter_templates/`` and ``notebooks/`` directly. A
controller's own versions live in her user folder, ``~/debiteuren`` (or the
folder ``$DEBITEUREN_GEBRUIKERSMAP`` names): a file there with the same name
wins over the shipped one, file by file, so a changed letterhead in
``~/debiteuren/sjablonen/betalingsherinnering.docx`` survives an upgrade.

>>> USER_SUBFOLDERS["letter_templates"], USER_SUBFOLDERS["notebooks"]
('sjablonen', 'notebooks')
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "bundled"
REPOSITORY_DIR = PACKAGE_DIR.parents[1]
ENV_USER_FOLDER = "DEBITEUREN_GEBRUIKERSMAP"
# Shipped folder (its name in the repository and in bundled/) -> its name in the user folder.
USER_SUBFOLDERS = {"letter_templates": "sjablonen", "notebooks": "notebooks"}
# Files that are part of what ships, per folder (the build step copies these).
SHIPPED_PATTERNS = {"letter_templates": ("*.docx", "LEESMIJ.md"), "notebooks": ("*.ipynb",)}


def shipped_dir(kind: str) -> Path:
    """The shipped folder of ``kind`` (``letter_templates`` or ``notebooks``): package data when
    installed, else the repository's folder."""
    _check_kind(kind)
    bundled = BUNDLED_DIR / kind
    return bundled if bundled.is_dir() else REPOSITORY_DIR / kind


def user_folder() -> Path:
    """``$DEBITEUREN_GEBRUIKERSMAP``, else ``debiteuren`` in the home folder (need not exist)."""
    value = os.environ.get(ENV_USER_FOLDER, "").strip()
    return Path(value).expanduser() if value else Path.home() / "debiteuren"


def user_dir(kind: str) -> Path:
    """The user's folder for ``kind``: ``~/debiteuren/sjablonen`` or ``~/debiteuren/notebooks``."""
    _check_kind(kind)
    return user_folder() / USER_SUBFOLDERS[kind]


def search_path(kind: str) -> tuple[Path, ...]:
    """Where a file of ``kind`` is looked for, first match wins: the user's folder, then the shipped one."""
    return (user_dir(kind), shipped_dir(kind))


def find(kind: str, name: str) -> Path | None:
    """The file ``name`` from the first folder of ``search_path`` that has it, or None."""
    for folder in search_path(kind):
        path = folder / name
        if path.is_file():
            return path
    return None


def shipped_files(kind: str) -> list[Path]:
    """The shipped files of ``kind``, sorted by name."""
    folder = shipped_dir(kind)
    return sorted({p for pattern in SHIPPED_PATTERNS[kind] for p in folder.glob(pattern) if p.is_file()})


def effective_files(kind: str) -> dict[str, Path]:
    """name -> the file used: every shipped file, replaced by the user's file of the same name,
    plus the user's own files that match the shipped patterns."""
    files = {p.name: p for p in shipped_files(kind)}
    folder = user_dir(kind)
    if folder.is_dir():
        for pattern in SHIPPED_PATTERNS[kind]:
            files.update((p.name, p) for p in folder.glob(pattern) if p.is_file())
    return dict(sorted(files.items()))


def copy_shipped(kind: str, target: Path | str | None = None, *, overwrite: bool = False) -> list[Path]:
    """Copy the shipped files of ``kind`` into ``target`` (default: the user's folder) to edit them;
    a file already there is kept unless ``overwrite``. Returns the files copied."""
    folder = Path(target) if target is not None else user_dir(kind)
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in shipped_files(kind):
        destination = folder / source.name
        if destination.exists() and not overwrite:
            continue
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def _check_kind(kind: str) -> None:
    if kind not in USER_SUBFOLDERS:
        raise ValueError(f"unknown kind of shipped files {kind!r} (letter_templates or notebooks)")
