"""Parts of kg merge (kg/ops/merge.py) that stand on their own: the sides actors fight on and the
complete-link joining of scored pairs."""
