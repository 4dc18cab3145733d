# cython: language_level=3, boundscheck=False, wraparound=False
"""Boosted trees evaluated in C (see cleaner.trees.BoostedTrees, which checks the arrays)."""
from libc.math cimport exp
from libc.stdint cimport int32_t, uint8_t

# One node in one cache-friendly record (cleaner.trees.NODE_DTYPE, the same layout): following a
# row down a tree touches one record per level, where seven parallel arrays touched seven.
cdef struct Node:
    double threshold  # a leaf's value
    int32_t left
    int32_t right
    int32_t feature
    uint8_t missing_left
    uint8_t is_leaf

ctypedef fused floating:
    float
    double

cdef inline int32_t step(const Node* node, double x) noexcept nogil:
    if x != x:  # NaN: where the node sends missing values
        return node.left if node.missing_left else node.right
    return node.left if x <= node.threshold else node.right


def add_tree_values(const floating[:, ::1] X, const Node[::1] nodes, const int32_t[::1] roots, double[::1] out):
    """Add every tree's leaf value for each row of X to ``out``, tree after tree, as
    scikit-learn's HistGradientBoosting predictors do (so each row's sum is made in the same
    order and comes out bit-identical): a row goes left when its feature is <= the node's
    threshold (compared in double precision, as scikit-learn does after converting X), and a
    missing (NaN) value goes where the node says."""
    cdef Py_ssize_t t, i
    cdef const Node* base = &nodes[0]
    cdef int32_t at
    with nogil:
        for t in range(roots.shape[0]):
            for i in range(X.shape[0]):
                at = roots[t]
                while not base[at].is_leaf:
                    at = step(&base[at], X[i, base[at].feature])
                out[i] += base[at].threshold


def logistic_in_place(double[::1] values):
    """Replace each raw score x by 1 / (1 + exp(-x)) with the C library's exp, as scipy's expit
    (and so scikit-learn's predict_proba) computes it. numpy's own exp is not used: on CPUs with
    AVX-512 it is numpy's vector code, which differs from the C library's in the last bit for
    about one value in fifty (ad hoc, 200,000 normal draws)."""
    cdef Py_ssize_t i
    with nogil:
        for i in range(values.shape[0]):
            values[i] = 1.0 / (1.0 + exp(-values[i]))
