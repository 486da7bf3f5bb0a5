package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op's values and gradients against PyTorch (src/test/python/gen_golden.py). */
class GoldenOpsTest {
    static Stream<JsonObject> cases() throws IOException {
        return Golden.load("ops.json").getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonObject c) {
        try (TensorScope scope = TensorScope.open()) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            c.getAsJsonObject("inputs").entrySet().forEach(e -> in.put(e.getKey(), Golden.tensor(e.getValue())));
            JsonObject grads = c.getAsJsonObject("grads");
            grads.keySet().forEach(k -> in.get(k).requiresGrad(true));

            Tensor out = apply(c.get("op").getAsString(), c.getAsJsonObject("args"), in);
            JsonObject expected = c.getAsJsonObject("output");
            assertArrayEquals(Golden.shape(expected), out.shape(), "output shape");
            assertArrayEquals(Golden.values(expected), Golden.values(out), 1e-5, "output values");

            if (!grads.isEmpty()) {
                Tensor upstream = Golden.tensor(c.get("upstream"));
                out.mul(upstream).sum().backward();
                for (String name : grads.keySet()) {
                    Tensor g = in.get(name).grad().orElseThrow();
                    assertArrayEquals(
                            Golden.values(grads.getAsJsonObject(name)), Golden.values(g), 1e-5, "gradient of " + name);
                }
            }
        }
    }

    private static Tensor apply(String op, JsonObject args, Map<String, Tensor> in) {
        return switch (op) {
            case "sigmoid" -> in.get("x").sigmoid();
            case "relu" -> in.get("x").relu();
            case "add" -> in.get("a").add(in.get("b"));
            case "sub" -> in.get("a").sub(in.get("b"));
            case "mul" -> in.get("a").mul(in.get("b"));
            case "add_scalar" -> in.get("x").add(args.get("value").getAsDouble());
            case "mul_scalar" -> in.get("x").mul(args.get("value").getAsDouble());
            case "sum" -> in.get("x").sum();
            case "mean" -> in.get("x").mean();
            case "matmul" -> in.get("a").matmul(in.get("b"));
            case "linear" -> Functional.linear(in.get("x"), in.get("weight"), in.get("bias"));
            case "conv2d" ->
                Functional.conv2d(
                        in.get("x"),
                        in.get("weight"),
                        in.get("bias"),
                        args.getAsJsonArray("stride").get(0).getAsInt(),
                        args.getAsJsonArray("padding").get(0).getAsInt());
            case "avg_pool2d" ->
                Functional.avgPool2d(
                        in.get("x"),
                        args.getAsJsonArray("kernel").get(0).getAsInt(),
                        args.getAsJsonArray("stride").get(0).getAsInt());
            case "max_pool2d" ->
                Functional.maxPool2d(
                        in.get("x"),
                        args.getAsJsonArray("kernel").get(0).getAsInt(),
                        args.getAsJsonArray("stride").get(0).getAsInt());
            case "cross_entropy" -> Functional.crossEntropy(in.get("logits"), in.get("labels"));
            case "reshape" -> in.get("x").reshape(Golden.longs(args.getAsJsonArray("shape")));
            case "flatten" ->
                in.get("x")
                        .flatten(args.get("start").getAsLong(), args.get("end").getAsLong());
            case "argmax" ->
                in.get("x")
                        .argmax(args.get("dim").getAsLong(), args.get("keepdim").getAsBoolean());
            case "eq" -> in.get("a").eq(in.get("b"));
            case "div" -> in.get("a").div(in.get("b"));
            case "div_scalar" -> in.get("x").div(args.get("value").getAsDouble());
            case "exp" -> in.get("x").exp();
            case "log" -> in.get("x").log();
            case "softmax" -> in.get("x").softmax(args.get("dim").getAsLong());
            case "log_softmax" -> in.get("x").logSoftmax(args.get("dim").getAsLong());
            case "transpose" ->
                in.get("x")
                        .transpose(
                                args.get("dim0").getAsLong(), args.get("dim1").getAsLong());
            case "permute" -> in.get("x").permute(Golden.longs(args.getAsJsonArray("dims")));
            case "cat" ->
                Tensor.cat(
                        java.util.List.of(in.get("a"), in.get("b")),
                        args.get("dim").getAsLong());
            case "stack" ->
                Tensor.stack(
                        java.util.List.of(in.get("a"), in.get("b")),
                        args.get("dim").getAsLong());
            case "mse_loss" -> Functional.mseLoss(in.get("input"), in.get("target"));
            case "bce_with_logits" -> Functional.binaryCrossEntropyWithLogits(in.get("logits"), in.get("target"));
            case "randn" -> {
                Torch.manualSeed(args.get("seed").getAsLong());
                yield Tensor.randn(DType.FLOAT32, Device.CPU, Golden.longs(args.getAsJsonArray("shape")));
            }
            default -> throw new AssertionError("no Java mapping for golden op " + op);
        };
    }

    @org.junit.jupiter.api.Test
    void everyGoldenOpIsCovered() throws IOException {
        assertEquals(34, cases().count(), "golden case count changed: update this test and apply()");
    }
}
