package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The owner closes a tensor while another thread is computing on it: each call of the other thread
 * either completes on live memory or throws {@link IllegalStateException}; the free waits for the
 * call in flight, so nothing crashes and every handle is freed.
 */
class ConcurrentCloseTest {
    private static final int ROUNDS = 10_000;

    @Test
    void platformThreads() throws Exception {
        race(Thread.ofPlatform(), ROUNDS);
    }

    @Test
    void virtualThreads() throws Exception {
        race(Thread.ofVirtual(), ROUNDS);
    }

    private static final Tensor DONE = null;

    private static void race(Thread.Builder threads, int rounds) throws Exception {
        long before = Torch.liveTensors();
        SynchronousQueue<Tensor[]> handoff = new SynchronousQueue<>();
        SynchronousQueue<Boolean> finished = new SynchronousQueue<>();
        AtomicLong completed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread user = threads.start(() -> {
            try {
                while (true) {
                    Tensor x = handoff.take()[0];
                    if (x == DONE) {
                        return;
                    }
                    Tensor other = Tensor.ones(DType.FLOAT32, Device.CPU, 256);
                    try {
                        while (true) {
                            try (Tensor y = x.sigmoid();
                                    Tensor z = other.add(x)) {
                                completed.incrementAndGet();
                                if (y.numel() != 256 || z.numel() != 256) {
                                    throw new AssertionError("wrong result shape");
                                }
                            } catch (IllegalStateException closed) {
                                assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                                refused.incrementAndGet();
                                break;
                            }
                        }
                    } finally {
                        other.close();
                    }
                    finished.put(true);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });

        Thread owner = threads.start(() -> {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < rounds && failure.get() == null; i++) {
                    if (i % 2 == 0) {
                        Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 256);
                        handoff.put(new Tensor[] {x});
                        spin(random.nextInt(2000));
                        x.close();
                    } else {
                        try (TensorScope scope = TensorScope.open()) { // closed by the scope
                            handoff.put(new Tensor[] {Tensor.rand(DType.FLOAT32, Device.CPU, 256)});
                            spin(random.nextInt(2000));
                        }
                    }
                    finished.take();
                }
                handoff.put(new Tensor[] {DONE});
            } catch (Throwable e) {
                failure.set(e);
                user.interrupt();
            }
        });
        owner.join();
        user.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(rounds, refused.get(), "every round ends with a refused call after the close");
        assertEquals(before, Torch.liveTensors(), "every handle freed");
        System.out.println("close races (" + (threads instanceof Thread.Builder.OfVirtual ? "virtual" : "platform")
                + "): " + rounds + " rounds, " + completed.get() + " calls completed, " + refused.get() + " refused");
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
