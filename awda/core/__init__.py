"""Awda's kernel, without domain knowledge: base models, audit log, request context, errors, API conventions, task progress."""
