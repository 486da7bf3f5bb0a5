package dev.torchffm.cli;

import com.google.gson.JsonArray;
import dev.torchffm.Device;
import dev.torchffm.Profiler;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.distributed.DistributedDataParallel;
import dev.torchffm.distributed.ProcessGroup;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.AdamW;
import dev.torchffm.optim.CosineAnnealingLR;
import dev.torchffm.serialize.StateDict;
import dev.torchffm.train.EpochStats;
import dev.torchffm.train.Progress;
import dev.torchffm.train.Speedup;
import dev.torchffm.train.TrainConfig;
import dev.torchffm.train.Trainer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains LeNet on Fashion-MNIST as the d2l chapter does, printing one line per epoch. */
@Command(name = "train", description = "Train LeNet on Fashion-MNIST (defaults: the d2l chapter's configuration).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "10", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--batch-size",
            description = "mini-batch size (default: 256 for lenet, 128 for lenet-relu and cnn)")
    Integer batchSize;

    @Option(names = "--lr", description = "learning rate (default: 0.9 for lenet, 0.02 for lenet-relu, 0.003 for cnn)")
    Double lr;

    @Option(
            names = "--momentum",
            description = "SGD momentum (default: 0 for lenet, 0.9 for lenet-relu; cnn uses AdamW)")
    Double momentum;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--data", description = "Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist)")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--threads", description = "ATen intra-op threads (default: the number of cores)")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--model",
            defaultValue = "lenet",
            description = "lenet, lenet-relu or cnn (AdamW with a cosine schedule) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--cuda-graph",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "on a GPU, capture the training step once as a CUDA graph and replay it (default: on)")
    boolean cudaGraph;

    @Option(
            names = "--reference",
            description = "the chapter's op order, without speedups: with --seed the run"
                    + " reproduces PyTorch's chapter code epoch for epoch (default: every speedup on)")
    boolean reference;

    @Option(
            names = "--speedups",
            split = ",",
            paramLabel = "NAME",
            description = "only these speedups (comma-separated: channels-last, grad-none, eval-batch, cpu-cache;"
                    + " `all`; `none`): to measure each alone (default: channels-last,grad-none,cpu-cache)")
    List<String> speedups;

    @Option(names = "--save", description = "write the trained weights (a PyTorch state_dict) to this file")
    Path save;

    @Option(names = "--json", description = "write the run's figures as JSON to this file")
    Path json;

    @Option(names = "--plot", description = "write loss and accuracy per epoch to this image (.png or .jpg)")
    Path plot;

    @Option(
            names = "--profile",
            description = "record every LibTorch op of the training thread and write a Chrome trace to this file"
                    + " (open it in ui.perfetto.dev; bench/profile_summary.py sums it per op). Without the"
                    + " cpu-cache speedup (--reference, or --speedups without it) the profiler's own"
                    + " allocations make every step page-fault its activations in (bench/faults.py)")
    Path profile;

    @Mixin
    DistributedOptions distributed;

    @Spec
    CommandSpec spec;

    private Set<Speedup> chosenSpeedups() {
        if (reference && speedups != null) {
            throw new IllegalArgumentException("--reference and --speedups exclude each other");
        }
        if (reference || speedups != null && speedups.equals(List.of("none"))) {
            return EnumSet.noneOf(Speedup.class);
        }
        if (speedups == null) {
            return Speedup.defaults();
        }
        if (speedups.equals(List.of("all"))) {
            return Speedup.all();
        }
        Set<Speedup> out = EnumSet.noneOf(Speedup.class);
        speedups.forEach(name -> out.add(Speedup.parse(name.strip())));
        return out;
    }

    @Override
    public Integer call() {
        // Every flag is checked before any work starts: a typo must not cost a training run.
        Models m = Models.parse(model);
        OutputFile.requireWritable(save, "--save");
        OutputFile.requireWritable(json, "--json");
        OutputFile.requireWritable(profile, "--profile");
        OutputFile.requireImage(plot, "--plot");
        Device dev = distributed.deviceFor(UserInputException.validate(() -> Device.parse(device)));
        int batch = batchSize != null ? batchSize : m.defaultBatchSize;
        Set<Speedup> chosen = UserInputException.validate(this::chosenSpeedups);
        TrainConfig config = UserInputException.validate(() -> new TrainConfig(
                epochs,
                batch,
                lr != null ? lr : m.defaultLr,
                momentum != null ? momentum : m.defaultMomentum,
                0,
                dev,
                cudaGraph,
                chosen));
        if (distributed.launches()) { // flags are valid: start the workers, which train
            return new WorkerLauncher(distributed, WorkerLauncher.argsAfter("train", spec)).run();
        }
        int nThreads = threads != null ? threads : distributed.defaultThreads();
        UserInputException.validate(() -> {
            Torch.setNumThreads(nThreads); // the first setting that changes the process: after every check
            return null;
        });

        RunReport report = new RunReport(dev.toString());
        report.config().addProperty("model", m.cliName);
        report.config().addProperty("epochs", epochs);
        report.config().addProperty("batch_size", batch);
        report.config().addProperty("lr", config.lr());
        report.config().addProperty("momentum", config.momentum());
        report.config().addProperty("threads", nThreads);
        report.config().addProperty("seed", seed);
        report.config().addProperty("cuda_graph", cudaGraph && dev.isCuda());
        JsonArray speedupNames = new JsonArray();
        config.speedups().forEach(sp -> speedupNames.add(sp.cliName()));
        report.config().add("speedups", speedupNames);
        report.config().addProperty("data", data.toString());
        report.config().addProperty("libtorch", Torch.version());

        report.config().addProperty("optimizer", m.adamwCosine ? "adamw-cosine" : "sgd");
        String optimizer = m.adamwCosine ? "AdamW with a cosine schedule" : "momentum " + config.momentum();
        ProcessGroup group = distributed.join(dev); // null unless this is a worker; quiets ranks > 0
        System.out.printf(
                Locale.ROOT,
                "training %s on %s (LibTorch %s, %d thread(s), seed %d, lr %s, %s, batch %d, %s)%n",
                m.cliName,
                dev,
                Torch.version(),
                nThreads,
                seed,
                config.lr(),
                optimizer,
                batch,
                config.speedups().isEmpty()
                        ? "reference op order"
                        : "speedups "
                                + String.join(
                                        ",",
                                        config.speedups().stream()
                                                .map(Speedup::cliName)
                                                .toList()));
        Torch.manualSeed(seed);
        try (group;
                Sequential net = m.factory.get();
                FashionMnist fashion = FashionMnist.load(data, dev)) {
            net.to(dev);
            var ddp = group == null ? null : new DistributedDataParallel(net, group);
            Progress console = new ConsoleProgress(System.out);
            Progress progress = new Progress() {
                @Override
                public void epochStarted(int epoch, long batches) {
                    console.epochStarted(epoch, batches);
                }

                @Override
                public void stepDone(int epoch, long step) {
                    console.stepDone(epoch, step);
                }

                @Override
                public void epochDone(EpochStats stats) {
                    console.epochDone(stats);
                    report.add(stats, Torch.liveTensors(), ProcessStats.rssKb());
                }
            };
            Trainer trainer = new Trainer(config, progress, ddp);
            if (m.adamwCosine) {
                trainer = trainer.withOptimizer(ps -> new AdamW(ps, AdamW.defaults(config.lr())))
                        .withSchedule((opt, steps) -> new CosineAnnealingLR(opt, steps, 0));
            }
            List<EpochStats> history;
            try (Profiler p = profile != null ? Profiler.start(profile) : null) {
                history = trainer.fit(net, fashion);
            }
            if (profile != null) {
                System.out.println("wrote " + profile);
            }
            EpochStats last = history.get(history.size() - 1);
            System.out.printf(
                    Locale.ROOT,
                    "final: loss %.4f, train acc %.3f, test acc %.3f, %.1f examples/sec on %s%n",
                    last.loss(),
                    last.trainAcc(),
                    last.testAcc(),
                    fashion.trainImages().size(0) / report.medianSeconds(),
                    dev);
            if (save != null && distributed.isLead()) {
                StateDict.save(net, save);
                System.out.println("saved weights to " + save);
            }
            if (json != null && distributed.isLead()) {
                report.write(json);
                System.out.println("wrote " + json);
            }
            if (plot != null && distributed.isLead()) {
                Charts.writeTrainingPlot(history, m.cliName + " on Fashion-MNIST (" + dev + ")", plot);
                System.out.println("wrote " + plot);
            }
        }
        return 0;
    }
}
