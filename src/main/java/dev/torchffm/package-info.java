/**
 * LibTorch tensors, devices and ops for Java, through the Foreign Function and Memory API.
 *
 * <p>Ownership: every {@link dev.torchffm.Tensor} holds one native handle. A new tensor belongs to
 * the innermost open {@link dev.torchffm.TensorScope} of its thread and is freed when that scope
 * closes; with no scope open its creator closes it. Closing is immediate and idempotent; use after
 * close throws {@link java.lang.IllegalStateException}.
 *
 * <p>Threads: tensors may be read from several threads at once; closing, keeping and in-place
 * changes belong to the owning thread. Scopes, no-grad regions and the per-thread native call
 * context (which carries a failed call's error back to the thread that made the call, virtual
 * threads included) are confined to one thread. Modules and optimizers are not thread-safe.
 *
 * <p>Errors: LibTorch's failures become {@link dev.torchffm.TorchException} with LibTorch's message;
 * arguments Java can check cheaply (null, closed, negative sizes, unknown devices) fail before the
 * native call with the usual Java exceptions.
 */
package dev.torchffm;
