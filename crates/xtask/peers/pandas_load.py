"""Loads CSV files into a SQLite database file with pandas (read_csv + to_sql), one table per file.

Usage: pandas_load.py DB_FILE CSV_FILE...
Prints JSON: rows per table.
"""
import json
import os
import sqlite3
import sys

import pandas

db, files = sys.argv[1], sys.argv[2:]
con = sqlite3.connect(db)
rows = {}
for path in files:
    table = os.path.splitext(os.path.basename(path))[0]
    frame = pandas.read_csv(path, low_memory=False)
    frame.to_sql(table, con, index=False, chunksize=50_000)
    rows[table] = len(frame)
con.commit()
con.close()
print(json.dumps(rows))
