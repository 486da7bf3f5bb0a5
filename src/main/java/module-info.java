/** torchffm: LibTorch for Java through the Foreign Function and Memory API. */
module dev.torchffm {
    exports dev.torchffm;
    exports dev.torchffm.nn;
    exports dev.torchffm.serialize;
    exports dev.torchffm.optim;
    exports dev.torchffm.data;
    exports dev.torchffm.datasets;
    exports dev.torchffm.models;
    exports dev.torchffm.train;
    exports dev.torchffm.distributed;
}
