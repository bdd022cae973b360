"""Finding and loading content: YAML facts and Markdown prose, with source locations."""
