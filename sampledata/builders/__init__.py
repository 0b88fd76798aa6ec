"""Build sample rows in memory, drawing from one random generator in a fixed order.

Nothing here writes to the database (sampledata/writers.py does). Every draw happens in the
same order for the same seed, so the same seed always builds the same rows.
"""
