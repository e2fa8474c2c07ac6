"""Commands about the program itself: ``debiteuren app`` (the web app) and ``debiteuren sjablonen``.

``app`` serves the notebooks (maandreview, dossier, vordering) with Voilà on
this computer only: the shipped notebooks, each replaced by the user's own
version of the same name when she has one (``resources``). The register and
peildatum reach the notebooks through $DEBITEUREN_WERKMAP and
$DEBITEUREN_PEILDATUM, as their parameters cell reads them; ``--voila-optie``
passes an option to Voilà unchanged (the Makefile's culling settings, say).

``sjablonen`` copies the shipped letter templates (or notebooks) into the
user's folder, where they can be edited and then win over the shipped ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import resources

DEFAULT_PORT = 8866
ENV_WORKBOOK = "DEBITEUREN_WERKMAP"  # read by app.widgets_common.workbook_parameter
ENV_PEILDATUM = "DEBITEUREN_PEILDATUM"
# Voilà's template without links to the internet and its config (kernel culling): app/voila/.
APP_DIR = Path(__file__).resolve().parents[1] / "app"


def add_commands(commands) -> None:
    app = commands.add_parser(
        "app",
        help="start de maandreview, het dossier en de vordering als webpagina (Voilà) op deze computer",
        description=(
            "Start de webapp op http://127.0.0.1:POORT/ met de drie notebooks (maandreview, dossier, vordering). "
            "Eigen versies van de notebooks in de gebruikersmap gaan voor. Stop met Ctrl+C."
        ),
    )
    app.add_argument(
        "werkmap",
        nargs="?",
        default=None,
        metavar="WERKMAP",
        help="het register (.xlsx); standaard $DEBITEUREN_WERKMAP, anders een kopie van het demoregister",
    )
    app.add_argument("--peildatum", default=None, metavar="D", help="peildatum (jjjj-mm-dd); standaard vandaag")
    app.add_argument(
        "--poort",
        type=int,
        default=DEFAULT_PORT,
        metavar="POORT",
        help=f"poort van de webpagina (standaard {DEFAULT_PORT})",
    )
    app.add_argument("--geen-browser", action="store_true", help="open geen browser")
    app.add_argument(
        "--voila-optie",
        action="append",
        default=[],
        metavar="OPTIE",
        dest="voila_opties",
        help="een optie voor Voilà, bijv. --voila-optie=--MappingKernelManager.cull_idle_timeout=900",
    )
    app.set_defaults(func=run_app)

    templates = commands.add_parser(
        "sjablonen",
        help="kopieer de meegeleverde briefsjablonen naar je eigen map om ze aan te passen",
        description=(
            "Kopieert de meegeleverde briefsjablonen naar de gebruikersmap (standaard ~/debiteuren/sjablonen). "
            "Een sjabloon daar gaat voor het meegeleverde sjabloon met dezelfde naam. Bestaande bestanden blijven "
            "staan, tenzij --overschrijven."
        ),
    )
    templates.add_argument(
        "map", nargs="?", default=None, metavar="MAP", help="doelmap (standaard de gebruikersmap voor sjablonen)"
    )
    templates.add_argument("--notebooks", action="store_true", help="kopieer de notebooks in plaats van de sjablonen")
    templates.add_argument("--overschrijven", action="store_true", help="overschrijf bestanden die er al staan")
    templates.set_defaults(func=run_copy_shipped)


def voila_command(folder: Path, port: int, *, browser: bool, extra: list[str] = ()) -> list[str]:
    """The Voilà command line that serves ``folder`` on 127.0.0.1 only."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--Voila.config_file_paths=['{APP_DIR / 'voila'}']",
    ]
    if not browser:
        command.append("--no-browser")
    return command + list(extra)


@contextmanager
def notebooks_folder() -> Iterator[Path]:
    """The folder to serve: the shipped notebooks, or, when the user has notebooks of her own, a
    temporary folder holding the shipped ones with hers in their place."""
    shipped = resources.shipped_dir("notebooks")
    files = resources.effective_files("notebooks")
    if all(path.parent == shipped for path in files.values()):
        yield shipped
        return
    with tempfile.TemporaryDirectory(prefix="debiteuren-notebooks-") as folder:
        for name, path in files.items():
            shutil.copyfile(path, Path(folder) / name)
        yield Path(folder)


def app_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment Voilà runs in: our template folder first on JUPYTER_PATH."""
    env = dict(environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(APP_DIR), environ.get("JUPYTER_PATH", "")) if p)
    return env


def run_app(args) -> int:
    env = app_environment(os.environ)
    if args.werkmap:
        workbook = Path(args.werkmap).expanduser().resolve()
        if not workbook.is_file():
            print(f"Fout: het register '{args.werkmap}' bestaat niet.", file=sys.stderr)
            return 1
        env[ENV_WORKBOOK] = str(workbook)
    if args.peildatum:
        env[ENV_PEILDATUM] = args.peildatum
    with notebooks_folder() as folder:
        names = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb")))
        print(
            f"De webapp start op http://127.0.0.1:{args.poort}/ met {names} uit {folder}. Stop met Ctrl+C.", flush=True
        )
        command = voila_command(folder, args.poort, browser=not args.geen_browser, extra=args.voila_opties)
        try:
            return subprocess.call(command, env=env)
        except KeyboardInterrupt:
            return 0


def run_copy_shipped(args) -> int:
    kind = "notebooks" if args.notebooks else "letter_templates"
    target = Path(args.map).expanduser() if args.map else resources.user_dir(kind)
    copied = resources.copy_shipped(kind, target, overwrite=args.overschrijven)
    what = "notebooks" if args.notebooks else "sjablonen"
    kept = len(resources.shipped_files(kind)) - len(copied)
    print(
        f"{len(copied)} {what} gekopieerd naar {target}"
        + (f"; {kept} stonden er al en zijn niet overschreven." if kept else ".")
    )
    if args.map and target.resolve() != resources.user_dir(kind).resolve():
        print(
            f"Let op: de tool gebruikt alleen de {what} in {resources.user_dir(kind)} "
            f"(of zet {resources.ENV_USER_FOLDER} op de map erboven)."
        )
    return 0
