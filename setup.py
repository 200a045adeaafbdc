"""Builds the Python package dynamodb_mapping: the extension module _core is compiled by the
project's CMake build (the C++ library and python/src), the Python files come from python/.

    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation .

Everything comes from Debian: python3-dev, pybind11-dev, python3-setuptools, python3-wheel, and
the library's own build dependencies (scripts/bootstrap.sh installs them all). Nothing is
downloaded. DDBMAP_PY_BUILD_DIR names an existing CMake build directory (configured with
-DDDBMAP_BUILD_PYTHON=ON) to build _core in, instead of a fresh one.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    """Runs CMake for the _core target and copies the module where setuptools wants it."""

    def build_extension(self, ext: Extension) -> None:
        given = os.environ.get("DDBMAP_PY_BUILD_DIR")
        build_dir = Path(given) if given else Path(self.build_temp).resolve() / "cmake"
        if not given:
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja",
                "-DCMAKE_BUILD_TYPE=Release", "-DDDBMAP_BUILD_PYTHON=ON",
                "-DDDBMAP_BUILD_TESTS=OFF", "-DDDBMAP_BUILD_CLI=OFF",
                "-DDDBMAP_BUILD_EXAMPLES=OFF", "-DDDBMAP_INSTALL=OFF",
                f"-DPYTHON_EXECUTABLE={sys.executable}",
            ])
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_core"])
        built = list((build_dir / "python" / "dynamodb_mapping").glob("_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _core module in {build_dir}, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    ext_modules=[Extension("dynamodb_mapping._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # Not build/: that is the CMake build directory of scripts/test.sh.
    options={"build": {"build_base": "build-python"}},
)
