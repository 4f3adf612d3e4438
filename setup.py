"""Builds the extension earlywarn._core with the project's own CMake build.

Everything comes from the machine (Debian's cmake, g++, pybind11-dev, Boost,
Eigen): nothing is downloaded, so `pip install --no-build-isolation .` works
offline. The metadata is in pyproject.toml.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = pathlib.Path(__file__).parent.resolve()


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(SOURCE), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DEARLYWARN_BUILD_TESTS=OFF",
            "-DEARLYWARN_BUILD_BENCH=OFF",
            "-DEARLYWARN_BUILD_CLI=OFF",
            "-DEARLYWARN_BUILD_PYTHON=ON",
            # The interpreter running pip: the module must match its ABI.
            f"-DPython3_EXECUTABLE={sys.executable}",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(configure, check=True)
        subprocess.run(
            ["cmake", "--build", str(build), "--target", "earlywarn_python", "-j", jobs],
            check=True,
        )
        built = sorted((build / "python" / "earlywarn").glob("_core*.so"))
        if not built:
            raise RuntimeError(
                "CMake did not build earlywarn._core: are pybind11-dev and python3-dev "
                "installed? (scripts/install-dependencies installs them)"
            )
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(
    ext_modules=[CMakeExtension("earlywarn._core")],
    cmdclass={"build_ext": CMakeBuild},
    # Keep setuptools' work out of build/, the CMake build of the project.
    options={"build": {"build_base": "build-pip"}},
)
