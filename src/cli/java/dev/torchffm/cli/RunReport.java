package dev.torchffm.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.torchffm.train.EpochStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --json} record of a run: config, device, per-epoch figures (with live native tensors
 * and resident memory after each epoch), the final test accuracy, median epoch seconds and peak RSS.
 */
final class RunReport {
    private final JsonObject config = new JsonObject();
    private final String device;
    private final List<JsonObject> epochs = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();
    private double finalTestAcc = Double.NaN;

    RunReport(String device) {
        this.device = device;
    }

    JsonObject config() {
        return config;
    }

    void add(EpochStats s, long liveTensors, long rssKb) {
        JsonObject e = new JsonObject();
        e.addProperty("epoch", s.epoch());
        e.addProperty("loss", s.loss());
        e.addProperty("train_acc", s.trainAcc());
        e.addProperty("test_acc", s.testAcc());
        e.addProperty("seconds", s.seconds());
        e.addProperty("live_tensors", liveTensors);
        e.addProperty("rss_kb", rssKb);
        epochs.add(e);
        seconds.add(s.seconds());
        finalTestAcc = s.testAcc();
    }

    /** Median epoch time; epoch 1 (JIT and allocator warm-up) is left out when there are more. */
    double medianSeconds() {
        List<Double> s = new ArrayList<>(seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    void write(Path file) {
        JsonObject root = new JsonObject();
        root.addProperty("impl", "java");
        root.add("config", config);
        root.addProperty("device", device);
        JsonArray list = new JsonArray();
        epochs.forEach(list::add);
        root.add("epochs", list);
        root.addProperty("final_test_acc", finalTestAcc);
        root.addProperty("median_seconds", medianSeconds());
        root.addProperty("peak_rss_kb", ProcessStats.peakRssKb());
        try {
            Files.writeString(
                    file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputFile.reason(e), e);
        }
    }
}
