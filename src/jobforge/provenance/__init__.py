"""Where every value came from: source kinds and their precedence, confidence, load records."""
