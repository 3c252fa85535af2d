"""Connected components with igraph over the same links Ringscope's graph holds (account-identifier edges).

Usage: igraph_cc.py LINKS_FILE  (one "a b" pair of 0-based vertex ids per line)
Prints JSON: seconds to read and build the graph, seconds for connected components, and the component count.
"""
import json
import sys
import time

import igraph

t0 = time.perf_counter()
g = igraph.Graph.Read_Edgelist(sys.argv[1], directed=False)
t1 = time.perf_counter()
components = g.connected_components()
t2 = time.perf_counter()
print(json.dumps({
    "read_build_s": t1 - t0,
    "components_s": t2 - t1,
    "components": len(components),
    "vertices": g.vcount(),
    "edges": g.ecount(),
}))
