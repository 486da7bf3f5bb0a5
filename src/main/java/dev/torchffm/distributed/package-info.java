/**
 * Data-parallel training on PyTorch's own distributed engine, c10d: a {@link
 * dev.torchffm.distributed.ProcessGroup} (Gloo for CPU tensors, NCCL for CUDA tensors) joined through
 * a TCPStore rendezvous, its collectives (broadcast, all-reduce, barrier), and {@link
 * dev.torchffm.distributed.DistributedDataParallel}, which keeps a module's replicas equal by
 * averaging gradients with one collective per bucket.
 *
 * <p>Every blocking call returns within the group's timeout: a peer that died or stopped answering
 * ends the call with a {@link dev.torchffm.TorchException} of kind {@code DISTRIBUTED}.
 */
package dev.torchffm.distributed;
