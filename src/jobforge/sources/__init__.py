"""One package per public source: how its files are read, checked and stored."""
