"""O*NET: the database release files (text layout) and, later, the Web Services client."""
