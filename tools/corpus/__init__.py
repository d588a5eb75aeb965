"""The exemplar corpus: loading policies/<category>/<id>/ and generating their derived files."""
