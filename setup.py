"""Build step: ship the letter templates and notebooks inside the package.

They live at the repository's top (``letter_templates/``, ``notebooks/``), where
a controller and the tests find them in a checkout; a wheel carries copies in
``debiteuren/bundled/`` (see ``debiteuren.resources``). Everything else about
the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Keep in step with debiteuren.resources.SHIPPED_PATTERNS (tests/test_packaging.py checks).
SHIPPED_PATTERNS = {"letter_templates": ("*.docx", "LEESMIJ.md"), "notebooks": ("*.ipynb",)}


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the repository itself
            return
        for folder, patterns in SHIPPED_PATTERNS.items():
            target = Path(self.build_lib) / "debiteuren" / "bundled" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithShippedFiles})
