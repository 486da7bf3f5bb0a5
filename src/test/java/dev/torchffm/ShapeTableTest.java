package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Module;
import dev.torchffm.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The d2l chapter's layer-by-layer output shapes for a 1x1x28x28 input. */
class ShapeTableTest {
    @Test
    void lenetShapesMatchTheChapter() {
        long[][] expected = {
            {1, 6, 28, 28},
            {1, 6, 28, 28},
            {1, 6, 14, 14},
            {1, 16, 10, 10},
            {1, 16, 10, 10},
            {1, 16, 5, 5},
            {1, 400},
            {1, 120},
            {1, 120},
            {1, 84},
            {1, 84},
            {1, 10}
        };
        List<String> names = new ArrayList<>();
        try (Sequential net = LeNet.classic();
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 1, 1, 28, 28);
            int i = 0;
            for (Module layer : net) {
                x = layer.forward(x);
                assertArrayEquals(expected[i++], x.shape(), layer + " output shape");
                names.add(layer.getClass().getSimpleName());
            }
        }
        assertEquals(
                List.of(
                        "Conv2d",
                        "Sigmoid",
                        "AvgPool2d",
                        "Conv2d",
                        "Sigmoid",
                        "AvgPool2d",
                        "Flatten",
                        "Linear",
                        "Sigmoid",
                        "Linear",
                        "Sigmoid",
                        "Linear"),
                names);
    }

    @Test
    void parameterNamesMatchPyTorchStateDict() {
        try (Sequential net = LeNet.classic()) {
            assertEquals(
                    List.of(
                            "0.weight",
                            "0.bias",
                            "3.weight",
                            "3.bias",
                            "7.weight",
                            "7.bias",
                            "9.weight",
                            "9.bias",
                            "11.weight",
                            "11.bias"),
                    List.copyOf(net.namedParameters().keySet()));
            assertEquals(61706, net.parameterCount());
        }
    }
}
