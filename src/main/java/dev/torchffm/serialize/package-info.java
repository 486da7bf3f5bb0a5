/**
 * Checkpoints in PyTorch's zip format, read and written in pure Java: {@link
 * dev.torchffm.serialize.StateDict} is the entry point. Inside: the zip layout ({@code
 * CheckpointArchive}), storage records streamed in bounded chunks ({@code StorageData}), the copy of
 * strided views ({@code StridedCopy}), a restricted pickle machine ({@code Unpickler},
 * {@code PickleInput}) and the pickle writer ({@code PickleWriter}), with the opcodes named once
 * ({@code PickleOp}) and the only globals a checkpoint may name ({@code TorchGlobal},
 * {@code StorageType}).
 */
package dev.torchffm.serialize;
