"""The offline drafter: requests -> PolicyDraft built from corpus exemplars, or a clear decline."""

from tools.draft.drafter import draft_offline

__all__ = ["draft_offline"]
