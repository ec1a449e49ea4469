"""A durable job queue in the store: work that must happen after a change, once, even if the
process doing it dies. See queue.py (enqueue, claim, finish) and worker.py (handlers, the loop)."""
