/** torchffm: LibTorch for Java through the Foreign Function and Memory API. */
module dev.torchffm {
    requires info.picocli;
    requires com.google.gson;
    requires java.desktop;
    requires me.tongfei.progressbar;
    requires org.jfree.jfreechart;

    exports dev.torchffm;
    exports dev.torchffm.nn;
    exports dev.torchffm.serialize;
    exports dev.torchffm.optim;
    exports dev.torchffm.data;
    exports dev.torchffm.datasets;
    exports dev.torchffm.models;
    exports dev.torchffm.train;

    opens dev.torchffm.cli to info.picocli;
}
