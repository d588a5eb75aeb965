"""Deterministic, LLM-free tools of Kube PAC Copilot.

Nothing in this package imports `copilot`; heavy libraries (torch,
sentence-transformers, chromadb) are imported only inside the functions that need them.
"""
