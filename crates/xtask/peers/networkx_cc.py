"""Connected components with networkx over the same links as igraph_cc.py.

Usage: networkx_cc.py LINKS_FILE  (one "a b" pair of 0-based vertex ids per line)
Prints JSON: seconds to read and build the graph, seconds for connected components, and the component count.
"""
import json
import sys
import time

import networkx

t0 = time.perf_counter()
g = networkx.read_edgelist(sys.argv[1], nodetype=int)
t1 = time.perf_counter()
components = sum(1 for _ in networkx.connected_components(g))
t2 = time.perf_counter()
print(json.dumps({
    "read_build_s": t1 - t0,
    "components_s": t2 - t1,
    "components": components,
    "vertices": g.number_of_nodes(),
    "edges": g.number_of_edges(),
}))
