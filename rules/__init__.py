"""Rule modules: each reads stored facts of one run and emits findings (rules.base)."""
