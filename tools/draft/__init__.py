"""The offline drafter: requests -> PolicyDraft built from corpus exemplars, or a clear decline."""
