"""`kg evaluate`'s parts: how names are compared (names), the system's view read back from a graph
(view), matching gold to system items and scoring one article (score, align), and the gold
grouping of events across articles that kg merge is scored against (merging). The command and the
report are kg/ops/evaluate.py."""
