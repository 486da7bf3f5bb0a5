package dev.torchffm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the golden files made by src/test/python/*.py. */
final class Golden {
    private Golden() {}

    static JsonObject load(String name) throws IOException {
        Path dir = Path.of(System.getProperty("torchffm.golden.dir", "src/test/resources/golden"));
        return JsonParser.parseString(Files.readString(dir.resolve(name))).getAsJsonObject();
    }

    static long[] shape(JsonObject t) {
        return longs(t.getAsJsonArray("shape"));
    }

    static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** A tensor from {"dtype", "shape", "data"}. */
    static Tensor tensor(JsonElement e) {
        JsonObject t = e.getAsJsonObject();
        long[] shape = shape(t);
        JsonArray data = t.getAsJsonArray("data");
        return switch (t.get("dtype").getAsString()) {
            case "float32" -> Tensor.of(floats(data), shape);
            case "int64" -> Tensor.of(longs(data), shape);
            default -> throw new IllegalArgumentException("golden dtype " + t.get("dtype"));
        };
    }

    /** The golden values as doubles (bool as 0/1). */
    static double[] values(JsonObject t) {
        JsonArray a = t.getAsJsonArray("data");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            out[i] = v.getAsJsonPrimitive().isBoolean() ? (v.getAsBoolean() ? 1 : 0) : v.getAsDouble();
        }
        return out;
    }

    /** A tensor's values as doubles, whatever its dtype. */
    static double[] values(Tensor t) {
        try (Tensor d = t.to(DType.FLOAT64)) {
            return d.toDoubleArray();
        }
    }
}
