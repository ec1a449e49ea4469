"""One router per capability; each parses its parameters, calls the KnowledgeBase and returns its answer."""
