"""Builds the compiled tree walk (cleaner/_walk.pyx); everything else is in pyproject.toml.

The extension is optional: where it cannot be built (no C compiler, or Cython or lxml's headers
missing in a build without isolation), the install goes on without it and cleaner uses its
Python walk, which gives the same blocks more slowly (DEVELOPERS.md, "Compiled walk and trees").
"""
from setuptools import Extension, setup


def extensions() -> list[Extension]:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError as missing:
        print(f"cleaner: building without the compiled walk ({missing})")
        return []
    walk = Extension("cleaner._walk", ["cleaner/_walk.pyx"], include_dirs=lxml.get_include(), optional=True)
    return cythonize([walk], language_level=3, quiet=True)


setup(ext_modules=extensions())
