package dev.torchffm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The owner/user protocol of {@link NativeObject}, with a fake handle whose frees are counted. */
class NativeObjectTest {
    static final class Fake extends NativeObject {
        final AtomicInteger frees = new AtomicInteger();
        final AtomicReference<Thread> freedBy = new AtomicReference<>();

        Fake() {
            super(MemorySegment.ofAddress(0x1000));
        }

        @Override
        protected String kind() {
            return "fake";
        }

        @Override
        protected void free(MemorySegment handle) {
            frees.incrementAndGet();
            freedBy.set(Thread.currentThread());
        }

        MemorySegment use() {
            return acquire();
        }

        void done() {
            release();
        }
    }

    @Test
    void ownerCloseFreesAtOnceWithoutUsers() {
        Fake f = new Fake();
        assertEquals(0x1000, f.use().address());
        f.done();
        f.close();
        assertEquals(1, f.frees.get());
        assertTrue(f.isClosed());
        assertThrows(IllegalStateException.class, f::use);
        f.close();
        assertEquals(1, f.frees.get(), "closing twice frees once");
    }

    @Test
    void closeDuringAnotherThreadsCallIsDeferredToItsRelease() throws Exception {
        Fake f = new Fake();
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread user = new Thread(
                () -> {
                    try {
                        f.use();
                        inCall.countDown();
                        closed.await();
                        assertEquals(0, f.frees.get(), "not freed while the call runs");
                        assertTrue(f.isClosed());
                        f.done();
                        assertEquals(1, f.frees.get(), "the last user frees");
                        assertThrows(IllegalStateException.class, f::use);
                    } catch (Throwable e) {
                        error.set(e);
                    }
                },
                "user");
        user.start();
        inCall.await();
        f.close();
        assertTrue(f.isClosed());
        assertEquals(0, f.frees.get());
        closed.countDown();
        user.join();
        if (error.get() != null) {
            throw new AssertionError(error.get());
        }
        assertEquals(1, f.frees.get());
        assertEquals("user", f.freedBy.get().getName());
    }

    @Test
    void onlyTheOwnerCloses() throws Exception {
        Fake f = new Fake();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                f.close();
            } catch (Throwable e) {
                error.set(e);
            }
        });
        other.join();
        assertTrue(error.get() instanceof WrongThreadException, String.valueOf(error.get()));
        assertFalse(f.isClosed());
        f.close();
        assertEquals(1, f.frees.get());
    }

    @Test
    void manyUsersAndACloseFreeExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Fake f = new Fake();
            Thread[] users = new Thread[4];
            for (int i = 0; i < users.length; i++) {
                users[i] = Thread.ofVirtual().start(() -> {
                    for (int k = 0; k < 100; k++) {
                        try {
                            f.use();
                        } catch (IllegalStateException closed) {
                            return;
                        }
                        f.done();
                    }
                });
            }
            f.close();
            for (Thread u : users) {
                u.join();
            }
            assertEquals(1, f.frees.get());
        }
    }
}
