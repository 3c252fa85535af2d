"""Loads CSV files into a DuckDB database file, one table per file, the way an analyst would (read_csv).

Usage: duckdb_load.py DB_FILE CSV_FILE...
Prints JSON: rows per table.
"""
import json
import os
import sys

import duckdb

db, files = sys.argv[1], sys.argv[2:]
con = duckdb.connect(db)
rows = {}
for path in files:
    table = os.path.splitext(os.path.basename(path))[0]
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true)", [path])
    rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
con.close()
print(json.dumps(rows))
