"""NetWise: an open curriculum for online safety and digital literacy."""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("netwise")
except PackageNotFoundError:  # running from a bare checkout
    __version__ = "0.0.0"

# In a wheel, widgets/ and grading/ are installed as netwise/widgets and netwise/grading.
# In a checkout (editable install) they sit beside netwise/: let the package find them.
_here = Path(__file__).resolve().parent
if not (_here / "grading").exists() and (_here.parent / "grading" / "__init__.py").is_file():
    __path__.append(str(_here.parent))
