package dev.torchffm.serialize;

import dev.torchffm.DType;

/** A persistent id's storage: the archive record {@code data/<key>}, holding elements of {@code dtype}. */
record StorageRef(DType dtype, String key) {}
