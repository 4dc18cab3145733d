"""Builds the two compiled parts (cleaner/_walk.pyx, the segmenter's tree walk; cleaner/_trees.pyx,
the boosted trees' sums); everything else is in pyproject.toml.

Both are optional: where they cannot be built (no C compiler, or Cython or lxml's headers missing
in a build without isolation), the install goes on without them and cleaner uses its Python walk
and scikit-learn's tree predictor, which give the same blocks and probabilities more slowly
(DEVELOPERS.md, "Compiled walk and trees").
"""
from setuptools import Extension, setup


def extensions() -> list[Extension]:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError as missing:
        print(f"cleaner: building without the compiled walk and tree sums ({missing})")
        return []
    walk = Extension("cleaner._walk", ["cleaner/_walk.pyx"], include_dirs=lxml.get_include())
    trees = Extension("cleaner._trees", ["cleaner/_trees.pyx"])
    built = cythonize([walk, trees], language_level=3, quiet=True)
    for extension in built:  # set here: cythonize's copies drop the flag
        extension.optional = True  # a failed compile warns and the install goes on
    return built


setup(ext_modules=extensions())
