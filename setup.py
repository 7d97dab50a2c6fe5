"""Build the Cython extensions under glassbox/_core.

Every ``glassbox/_core/*.pyx`` becomes one extension module; a file whose first
line is ``# distutils: language = c++`` is compiled as C++. OpenMP is used when a
test program compiles and links with it, and the build goes on without it
otherwise (the kernels then run on one thread).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from glob import glob

import numpy as np
from setuptools import Extension, setup

CORE = os.path.join("glassbox", "_core")

# Set once for every module (sklearn's choice); GLASSBOX_CYTHON_DEBUG=1 turns bounds checks on.
DEBUG = os.environ.get("GLASSBOX_CYTHON_DEBUG", "0") == "1"
DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": False,
    "initializedcheck": DEBUG,
    "nonecheck": False,
    "cdivision": True,
    "embedsignature": True,
}


def openmp_flags():
    """Return (compile, link) flags when the C compiler builds an OpenMP program, else ([], [])."""
    if os.environ.get("GLASSBOX_NO_OPENMP") == "1":
        return [], []
    if sys.platform == "win32":
        return ["/openmp"], []
    flags = ["-fopenmp"]
    cc = os.environ.get("CC", "cc")
    src = "#include <omp.h>\nint main(void){return omp_get_max_threads() > 0 ? 0 : 1;}\n"
    tmp = tempfile.mkdtemp()
    try:
        path = os.path.join(tmp, "t.c")
        with open(path, "w") as f:
            f.write(src)
        ok = subprocess.run(
            [cc, *flags, path, "-o", os.path.join(tmp, "t")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ).returncode == 0
    except OSError:
        ok = False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        print("glassbox: OpenMP not available, building single-threaded kernels", file=sys.stderr)
        return [], []
    return flags, flags


def is_cpp(pyx):
    with open(pyx) as f:
        return "language = c++" in f.readline()


def extensions():
    compile_omp, link_omp = openmp_flags()
    only = os.environ.get("GLASSBOX_BUILD_ONLY")  # dev aid: comma-separated module names
    only = set(only.split(",")) if only else None
    exts = []
    for pyx in sorted(glob(os.path.join(CORE, "*.pyx"))):
        name = os.path.splitext(os.path.basename(pyx))[0]
        if only is not None and name not in only:
            continue
        cpp = is_cpp(pyx)
        exts.append(Extension(
            f"glassbox._core.{name}",
            [pyx],
            include_dirs=[np.get_include(), CORE],
            language="c++" if cpp else "c",
            extra_compile_args=["-O3", *(["-std=c++17"] if cpp else []), *compile_omp],
            extra_link_args=link_omp,
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        ))
    return exts


def cythonized():
    from Cython.Build import cythonize

    return cythonize(
        extensions(),
        compiler_directives=DIRECTIVES,
        nthreads=int(os.environ.get("GLASSBOX_BUILD_JOBS", "2")),
        include_path=[CORE],
    )


setup(ext_modules=cythonized())
