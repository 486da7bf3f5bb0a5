package dev.torchffm.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.TorchException;
import dev.torchffm.nn.Linear;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Collectives of a two-rank Gloo group whose ranks are threads of this JVM. */
class ProcessGroupTest {
    @Test
    void allReduceBroadcastBarrierAndHostSums() throws Exception {
        int port = Ranks.freePort();
        List<float[][]> results = Ranks.run(2, rank -> {
            try (ProcessGroup g = Ranks.join(port, rank, 2);
                    TensorScope s = TensorScope.open()) {
                assertEquals(rank, g.rank());
                assertEquals(2, g.size());
                Tensor sum = Tensor.of(new float[] {rank + 1, 10 * (rank + 1)}, 2);
                g.allReduce(sum, ReduceOp.SUM);
                Tensor avg = Tensor.of(new float[] {rank + 1, 10 * (rank + 1)}, 2);
                g.allReduce(avg, ReduceOp.AVERAGE);
                Tensor b = Tensor.of(new float[] {rank, rank, rank}, 3);
                g.broadcast(b, 1);
                g.barrier();
                double[] host = g.sum(rank, 0.5);
                return new float[][] {
                    sum.toFloatArray(), avg.toFloatArray(), b.toFloatArray(), {(float) host[0], (float) host[1]}
                };
            }
        });
        for (float[][] r : results) {
            assertArrayEquals(new float[] {3, 30}, r[0]);
            assertArrayEquals(new float[] {1.5f, 15}, r[1]);
            assertArrayEquals(new float[] {1, 1, 1}, r[2]);
            assertArrayEquals(new float[] {1, 1}, r[3]);
        }
    }

    @Test
    void coalescedCollectivesSplitIntoBucketsAndCopyBack() throws Exception {
        int port = Ranks.freePort();
        List<float[][]> results = Ranks.run(2, rank -> {
            try (ProcessGroup g = Ranks.join(port, rank, 2);
                    TensorScope s = TensorScope.open()) {
                Tensor a = Tensor.of(new float[] {rank, rank + 1, rank + 2}, 3);
                Tensor m = Tensor.of(new float[] {10 * rank, 10 * rank, 10 * rank, 10 * rank}, 2, 2);
                g.broadcastCoalesced(List.of(a, m), 0, 8); // 8 bytes: each tensor is a bucket of its own
                Tensor p = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
                Tensor q = Tensor.of(new float[] {5}, 1).requiresGrad(true); // no gradient on rank 0
                Tensor loss =
                        p.mul(Tensor.of(new float[] {rank + 1, 4 * rank}, 2)).sum();
                if (rank == 1) {
                    loss = loss.add(q.mul(6.0).sum());
                }
                loss.backward();
                g.averageGradients(List.of(p, q), 1 << 20);
                return new float[][] {
                    a.toFloatArray(),
                    m.toFloatArray(),
                    p.grad().orElseThrow().toFloatArray(),
                    q.grad().orElseThrow().toFloatArray()
                };
            }
        });
        for (float[][] r : results) {
            assertArrayEquals(new float[] {0, 1, 2}, r[0]);
            assertArrayEquals(new float[] {0, 0, 0, 0}, r[1]);
            assertArrayEquals(new float[] {1.5f, 2}, r[2]);
            assertArrayEquals(new float[] {3}, r[3]);
        }
    }

    @Test
    void dataParallelStartsFromRankZerosParameters() throws Exception {
        int port = Ranks.freePort();
        List<float[]> weights = Ranks.run(2, rank -> {
            try (ProcessGroup g = Ranks.join(port, rank, 2);
                    Linear net = new Linear(3, 2)) {
                // Each thread's Linear draws other values from the shared generator.
                var ddp = new DistributedDataParallel(net, g);
                assertEquals(net, ddp.module());
                return net.parameters().get(0).toFloatArray();
            }
        });
        assertArrayEquals(weights.get(0), weights.get(1));
    }

    @Test
    void portInUseIsOneClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            var e = assertThrows(
                    TorchException.class,
                    () -> ProcessGroup.join(
                            new Rendezvous("127.0.0.1", taken.getLocalPort(), 0, 2, Duration.ofSeconds(5)),
                            Backend.GLOO));
            assertEquals(TorchException.Kind.DISTRIBUTED, e.kind());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void unreachableMasterFailsWithinTheTimeout() {
        int port = Ranks.freePort();
        var e = assertThrows(
                TorchException.class,
                () -> ProcessGroup.join(
                        new Rendezvous("127.0.0.1", port, 1, 2, Duration.ofMillis(1500)), Backend.GLOO));
        assertEquals(TorchException.Kind.DISTRIBUTED, e.kind());
        assertTrue(e.getMessage().contains("could not reach the master at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void missingRankIsNamed() {
        var e = assertThrows(
                TorchException.class,
                () -> ProcessGroup.join(
                        new Rendezvous("127.0.0.1", Ranks.freePort(), 0, 2, Duration.ofMillis(1500)), Backend.GLOO));
        assertEquals(TorchException.Kind.DISTRIBUTED, e.kind());
        assertTrue(e.getMessage().contains("rank 1 did not join"), e.getMessage());
    }

    @Test
    void worldSizeMismatchFailsOnEveryRank() throws Exception {
        int port = Ranks.freePort();
        List<String> messages = Ranks.run(2, rank -> {
            var e = assertThrows(
                    TorchException.class,
                    () -> ProcessGroup.join(
                            new Rendezvous("127.0.0.1", port, rank, rank == 0 ? 2 : 3, Duration.ofSeconds(10)),
                            Backend.GLOO));
            assertEquals(TorchException.Kind.DISTRIBUTED, e.kind());
            return e.getMessage();
        });
        assertTrue(
                messages.get(0).contains("world size mismatch: rank 1 was started for 3 processes, rank 0 for 2"),
                messages.get(0));
        assertTrue(messages.get(1).contains("world size mismatch"), messages.get(1));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyNetworking() {
        assertThrows(IllegalArgumentException.class, () -> new Rendezvous("127.0.0.1", 29500, 2, 2, Ranks.TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new Rendezvous("127.0.0.1", 0, 0, 2, Ranks.TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> Rendezvous.parse("nohost", 0, 1, Ranks.TIMEOUT));
        assertEquals(29501, Rendezvous.parse("[::1]:29501", 0, 1, Ranks.TIMEOUT).port());
        assertEquals("::1", Rendezvous.parse("[::1]:29501", 0, 1, Ranks.TIMEOUT).host());
    }

    @Test
    void aClosedGroupRefusesCollectives() throws Exception {
        ProcessGroup g = Ranks.join(Ranks.freePort(), 0, 1);
        g.close();
        try (TensorScope s = TensorScope.open()) {
            Tensor t = Tensor.of(new float[] {1}, 1);
            assertThrows(IllegalStateException.class, () -> g.allReduce(t, ReduceOp.SUM));
        }
    }
}
