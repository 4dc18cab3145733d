# cython: language_level=3, boundscheck=False, wraparound=False
"""Boosted trees evaluated in C (see cleaner.trees.BoostedTrees, which checks the arrays)."""


def add_tree_values(const double[:, :] X, const Py_ssize_t[:] feature, const double[:] threshold,
                    const unsigned char[:] missing_left, const Py_ssize_t[:] left, const Py_ssize_t[:] right,
                    const unsigned char[:] is_leaf, const double[:] value, const Py_ssize_t[:] roots,
                    double[:] out):
    """Add every tree's leaf value for each row of X to ``out``, tree after tree, as
    scikit-learn's HistGradientBoosting predictors do (so each row's sum is made in the same
    order and comes out bit-identical): a row goes left when its feature is <= the node's
    threshold, and a missing (NaN) value goes where the node says."""
    cdef Py_ssize_t t, i, node
    cdef double x
    with nogil:
        for t in range(roots.shape[0]):
            for i in range(X.shape[0]):
                node = roots[t]
                while not is_leaf[node]:
                    x = X[i, feature[node]]
                    if x != x:
                        node = left[node] if missing_left[node] else right[node]
                    elif x <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                out[i] += value[node]
