"""Tools for curators: coverage of the review, canonical sorting of the tables."""
