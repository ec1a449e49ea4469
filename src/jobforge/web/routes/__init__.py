"""The web pages, by what a person does: explore, compare, code titles, administer roles."""
