"""One rank of a torchffm process group, in Python (torch.distributed, Gloo).

Joins with torchffm's rendezvous protocol (native/include/torchffm.h, "process groups"), then runs
the collectives of dev.torchffm.distributed.InteropTest in the same order and prints the results
as JSON. Run by that test with /usr/bin/python3: pg_peer.py HOST PORT RANK WORLD_SIZE
"""
import datetime
import json
import os
import socket
import sys

import torch
import torch.distributed as dist

host, port, rank, world = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
timeout = datetime.timedelta(seconds=30)

store = dist.TCPStore(host, port, world, rank == 0, timeout, wait_for_workers=False)
if store.add(f"torchffm/rank/{rank}", 1) > 1:
    sys.exit(f"rank {rank} is taken")
store.set(f"torchffm/proc/{rank}", f"{socket.gethostname()} {os.getpid()}")
store.set(f"torchffm/size/{rank}", str(world))
if rank == 0:
    for r in range(1, world):
        store.wait([f"torchffm/size/{r}"])
        assert store.get(f"torchffm/size/{r}").decode() == str(world)
    store.set("torchffm/verdict", "ok")
else:
    assert store.get("torchffm/size/0").decode() == str(world)
    assert store.get("torchffm/verdict").decode() == "ok"
    store.add("torchffm/acks", 1)

pg = dist.ProcessGroupGloo(dist.PrefixStore("torchffm/pg", store), rank, world, timeout)

summed = torch.tensor([rank + 1.0, 10.0 * (rank + 1), 0.25], dtype=torch.float32)
pg.allreduce([summed]).wait()
sent = torch.full((3,), float(rank), dtype=torch.float64)
pg.broadcast(sent, 0).wait()
pg.barrier().wait()
print(json.dumps({"sum": summed.tolist(), "broadcast": sent.tolist()}))
