package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CUDA behaviour; skipped where no CUDA device is usable. */
class CudaTest {
    @BeforeEach
    void requireCuda() {
        assumeTrue(Torch.cudaAvailable(), "CUDA is not available");
    }

    @Test
    void tensorsMoveBetweenDevices() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
            Tensor g = x.to(Device.cuda(0));
            assertEquals(Device.cuda(0), g.device());
            assertEquals(6.0, g.sum().item());
            assertEquals(Device.CPU, g.to(Device.CPU).device());
            assertTrue(Torch.cudaMemory(Device.cuda(0)).total() > 0);
        }
    }

    @Test
    void mixingDevicesFailsClearly() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor cpu = Tensor.ones(DType.FLOAT32, Device.CPU, 3);
            Tensor gpu = Tensor.ones(DType.FLOAT32, Device.cuda(0), 3);
            TorchException e = assertThrows(TorchException.class, () -> cpu.add(gpu));
            assertTrue(e.getMessage().contains("device"), e.getMessage());
        }
    }

    @Test
    void labelsOutOfRangeOnCudaDoNotPoisonTheContext() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor logits = Tensor.rand(DType.FLOAT32, Device.cuda(0), 2, 3);
            Tensor labels = Tensor.of(new long[] {0, 9}, 2).to(Device.cuda(0));
            assertThrows(TorchException.class, () -> Functional.crossEntropy(logits, labels));
            assertEquals(
                    6.0, Tensor.ones(DType.FLOAT32, Device.cuda(0), 2, 3).sum().item());
        }
    }

    @Test
    void allocationsLargerThanTheGpuFailAndTrainingGoesOn() {
        long total = Torch.cudaMemory(Device.cuda(0)).total();
        try (TensorScope scope = TensorScope.open()) {
            TorchException e = assertThrows(
                    TorchException.class,
                    () -> Tensor.zeros(DType.FLOAT32, Device.cuda(0), total / 2)); // 2x the device's memory
            assertEquals(TorchException.Kind.OUT_OF_MEMORY, e.kind(), e.getMessage());
            Torch.emptyCache();
            try (Sequential net = LeNet.classic()) {
                net.to(Device.cuda(0));
                var sgd = new dev.torchffm.optim.SGD(net.parameters(), dev.torchffm.optim.SGD.Options.lr(0.1));
                Tensor x = Tensor.rand(DType.FLOAT32, Device.cuda(0), 8, 1, 28, 28);
                Tensor y = Tensor.zeros(DType.INT64, Device.cuda(0), 8);
                Functional.crossEntropy(net.forward(x), y).backward();
                sgd.step();
                sgd.close();
            }
        }
    }

    @Test
    void graphedTrainingMatchesEagerTraining() {
        assumeTrue(java.nio.file.Files.isDirectory(dev.torchffm.datasets.FashionMnist.DEFAULT_DIR), "no Fashion-MNIST");
        try (var data = dev.torchffm.datasets.FashionMnist.load(
                dev.torchffm.datasets.FashionMnist.DEFAULT_DIR, Device.cuda(0))) {
            double[] loss = new double[2];
            for (int graphed = 0; graphed < 2; graphed++) {
                Torch.manualSeed(42);
                try (Sequential net = LeNet.classic()) {
                    net.to(Device.cuda(0));
                    var config = new dev.torchffm.train.TrainConfig(2, 256, 0.9, 0, 0, Device.cuda(0), graphed == 1);
                    var history =
                            new dev.torchffm.train.Trainer(config, dev.torchffm.train.Progress.NONE).fit(net, data);
                    loss[graphed] = history.get(1).loss();
                    assertTrue(history.get(1).testAcc() > 0.3, "learns: " + history.get(1));
                }
            }
            assertEquals(loss[0], loss[1], 1e-3, "graph replay computes the same steps as eager execution");
        }
    }

    @Test
    void modulesTrainOnTheGpu() {
        try (Sequential net = LeNet.classic();
                TensorScope scope = TensorScope.open()) {
            net.to(Device.cuda(0));
            assertEquals(Device.cuda(0), net.device());
            Tensor out = net.forward(Tensor.rand(DType.FLOAT32, Device.cuda(0), 4, 1, 28, 28));
            assertEquals(Device.cuda(0), out.device());
        }
    }
}
