package dev.torchffm.train;

import dev.torchffm.CpuCache;
import dev.torchffm.MemoryFormat;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.TrustedIndices;
import dev.torchffm.data.Batch;
import dev.torchffm.data.BatchSource;
import dev.torchffm.data.ShardedBatches;
import dev.torchffm.data.TrainTestData;
import dev.torchffm.distributed.DistributedDataParallel;
import dev.torchffm.nn.Module;
import dev.torchffm.optim.LrScheduler;
import dev.torchffm.optim.Optimizer;
import dev.torchffm.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The chapter's training loop (d2l {@code train_ch6}) over any data: mini-batch SGD on cross-entropy,
 * one pass over the training batches per epoch, then test accuracy. Figures are accumulated on the
 * device and read once per epoch. On CUDA with {@link TrainConfig#cudaGraph()} the step is captured
 * once and replayed per batch. The config's {@link Speedup}s decide whether the step follows the
 * chapter's op order or a faster one.
 *
 * <p>Data-parallel: with a {@link DistributedDataParallel}, each rank trains on its share of every
 * global batch ({@link ShardedBatches}; the batch size stays the global one), gradients are averaged
 * across ranks before each update, and the epoch figures are summed over the ranks, so every rank
 * reports what one process training on the whole batches would.
 */
public final class Trainer {
    private final TrainConfig config;
    private final Progress progress;
    private final DistributedDataParallel ddp; // null: one process
    private final Function<List<Tensor>, Optimizer> optimizer; // null: SGD from the config
    private final BiFunction<Optimizer, Long, LrScheduler> schedule; // null: a constant learning rate

    public Trainer(TrainConfig config, Progress progress) {
        this(config, progress, null);
    }

    /** A trainer for one rank of a data-parallel group; {@code ddp} wraps the module passed to fit. */
    public Trainer(TrainConfig config, Progress progress, DistributedDataParallel ddp) {
        this(config, progress, ddp, null, null);
    }

    private Trainer(
            TrainConfig config,
            Progress progress,
            DistributedDataParallel ddp,
            Function<List<Tensor>, Optimizer> optimizer,
            BiFunction<Optimizer, Long, LrScheduler> schedule) {
        this.config = config;
        this.progress = progress;
        this.ddp = ddp;
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    /**
     * This trainer with another optimizer, made from the net's parameters at the start of
     * {@code fit} (for example {@code ps -> new AdamW(ps, AdamW.defaults(1e-3))}); the config's
     * learning rate, momentum and weight decay are then the factory's to use or not. Training with
     * it runs eagerly: the CUDA-graph replay serves the default SGD only.
     */
    public Trainer withOptimizer(Function<List<Tensor>, Optimizer> factory) {
        return new Trainer(config, progress, ddp, Objects.requireNonNull(factory, "factory"), schedule);
    }

    /**
     * This trainer with a learning-rate schedule, made from the optimizer and the run's number of
     * steps (epochs times batches per epoch) and stepped after every batch, for example
     * {@code (opt, steps) -> new CosineAnnealingLR(opt, steps, 0)}. Training with it runs eagerly.
     */
    public Trainer withSchedule(BiFunction<Optimizer, Long, LrScheduler> factory) {
        return new Trainer(config, progress, ddp, optimizer, Objects.requireNonNull(factory, "factory"));
    }

    /**
     * Trains {@code net} (moved to the config's device first) on {@code data}'s training split in batches
     * of the config's size, evaluating on its test split after each epoch; returns each epoch's figures.
     */
    public List<EpochStats> fit(Module net, TrainTestData data) {
        int evalBatch = config.has(Speedup.EVAL_BATCH)
                ? Math.max(config.batchSize(), TrainConfig.EVAL_BATCH_SIZE)
                : config.batchSize();
        return fit(net, data.trainBatches(config.batchSize()), data.testBatches(evalBatch));
    }

    /**
     * Trains {@code net} (moved to the config's device first) for the config's epochs, one pass over
     * {@code train} each, then measures accuracy on {@code test}; returns each epoch's figures. The
     * batches must be on the config's device.
     */
    public List<EpochStats> fit(Module net, BatchSource train, BatchSource test) {
        if (ddp != null) {
            if (ddp.module() != net) {
                throw new IllegalArgumentException(
                        "the DistributedDataParallel wraps another module than the one to train");
            }
            int rank = ddp.group().rank();
            int size = ddp.group().size();
            train = new ShardedBatches(train, config.batchSize(), rank, size);
            test = new ShardedBatches(test, config.batchSize(), rank, size);
        }
        List<EpochStats> history = new ArrayList<>();
        var device = config.device();
        net.to(device); // before the optimizer takes the parameters
        // The step's speedups are CPU ones: a GPU run keeps its CUDA-graph step as it is.
        boolean cpu = !device.isCuda();
        List<Tensor> relaid = cpu && config.has(Speedup.CHANNELS_LAST)
                ? net.parameters().stream().filter(p -> p.dim() == 4).toList()
                : List.of();
        MemoryFormat inputFormat = relaid.isEmpty() ? null : MemoryFormat.CHANNELS_LAST;
        relaid.forEach(p -> p.setMemoryFormat(MemoryFormat.CHANNELS_LAST));
        try (CpuCache.Lease cache = cpu && config.has(Speedup.CPU_CACHE) ? CpuCache.lease() : null;
                Optimizer opt = optimizer != null
                        ? optimizer.apply(net.parameters())
                        : new SGD(net.parameters(), config.sgd());
                Counter lossSum = new Counter(device);
                Counter correct = new Counter(device)) {
            LrScheduler lrSchedule = schedule != null ? schedule.apply(opt, config.epochs() * train.count()) : null;
            TrainStep step =
                    new TrainStep(net, opt, lossSum, correct, ddp, inputFormat, cpu && config.has(Speedup.GRAD_NONE));
            // A captured step replays the learning rate and Adam's step count it was captured with, and
            // would replay the all-reduce without its host-side synchronisation.
            boolean graph =
                    config.cudaGraph() && device.isCuda() && ddp == null && optimizer == null && schedule == null;
            try (GraphedStep graphed = graph ? new GraphedStep(step, device) : null) {
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    EpochStats stats = epoch(epoch, net, step, graphed, lrSchedule, train, test, lossSum, correct);
                    history.add(stats);
                    progress.epochDone(stats);
                }
            }
        } finally {
            // The module leaves as it came: PyTorch's state_dict and every caller expect NCHW weights.
            relaid.forEach(p -> p.setMemoryFormat(MemoryFormat.CONTIGUOUS));
        }
        return history;
    }

    private EpochStats epoch(
            int epoch,
            Module net,
            TrainStep step,
            GraphedStep graphed,
            LrScheduler lrSchedule,
            BatchSource train,
            BatchSource test,
            Counter lossSum,
            Counter correct) {
        long start = System.nanoTime();
        net.train();
        lossSum.reset();
        correct.reset();
        // The data set range-checked its labels when it loaded and batch indices come from a
        // permutation: no step needs the CUDA range checks, so no step waits for the GPU.
        try (TensorScope epochScope = TensorScope.open();
                TrustedIndices trusted = Torch.trustIndices()) {
            progress.epochStarted(epoch, train.count());
            long n = 0;
            long steps = 0;
            for (Batch b : train) {
                try (b) {
                    if (graphed != null) {
                        graphed.run(b);
                    } else {
                        step.run(b.x(), b.y());
                    }
                    if (lrSchedule != null) {
                        lrSchedule.step();
                    }
                    n += b.size();
                }
                progress.stepDone(epoch, ++steps);
            }
            double testAcc = Evaluation.accuracy(net, test, step.inputFormat());
            double[] sums = {lossSum.value(), correct.value(), n, Math.round(testAcc * test.examples()), test.examples()
            };
            if (ddp != null) {
                sums = ddp.group().sum(sums);
            }
            double loss = sums[0] / sums[2];
            double trainAcc = sums[1] / sums[2];
            testAcc = sums[4] == 0 ? 0 : sums[3] / sums[4];
            return new EpochStats(epoch, loss, trainAcc, testAcc, (System.nanoTime() - start) / 1e9);
        }
    }
}
