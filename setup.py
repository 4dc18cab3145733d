"""Builds the compiled parts (cleaner/compiled.py lists them with their Python twins: the
segmenter's tree walk, tokens, featurize's per-block facts, the boosted trees' sums); everything
else is in pyproject.toml.

All are optional: where they cannot be built (no C compiler, or Cython or lxml's headers missing
in a build without isolation), the install goes on without them and cleaner runs their Python
twins, which give the same blocks, features and probabilities more slowly (DEVELOPERS.md,
"Compiled walk and trees").
"""
from setuptools import Extension, setup


def extensions() -> list[Extension]:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError as missing:
        print(f"cleaner: building without the compiled parts ({missing})")
        return []
    walk = Extension("cleaner._walk", ["cleaner/_walk.pyx"], include_dirs=lxml.get_include())
    trees = Extension("cleaner._trees", ["cleaner/_trees.pyx"])
    text = Extension("cleaner._text", ["cleaner/_text.pyx"])
    features = Extension("cleaner._features", ["cleaner/_features.pyx"])
    built = cythonize([walk, text, features, trees], language_level=3, quiet=True)
    for extension in built:  # set here: cythonize's copies drop the flag
        extension.optional = True  # a failed compile warns and the install goes on
    return built


setup(ext_modules=extensions())
