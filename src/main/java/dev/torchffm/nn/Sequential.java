package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Tensor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modules applied one after another, as torch.nn.Sequential; children are keyed 0, 1, 2, ... so
 * parameter names match PyTorch's. Iterable, to push a tensor through layer by layer.
 */
public final class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
    }

    public Sequential(List<? extends Module> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Runs every layer; the intermediate outputs are freed as soon as the next layer has used them. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor out = x;
        for (Module layer : layers) {
            Tensor next = layer.forward(out);
            if (out != x && next != out) {
                out.close();
            }
            out = next;
        }
        return out;
    }

    @Override
    public Sequential to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public Sequential train() {
        super.train();
        return this;
    }

    @Override
    public Sequential eval() {
        super.eval();
        return this;
    }

    public int size() {
        return layers.size();
    }

    public Module get(int i) {
        return layers.get(i);
    }

    @Override
    public Iterator<Module> iterator() {
        return layers.iterator();
    }

    @Override
    protected Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            m.put(Integer.toString(i), layers.get(i));
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(\n");
        for (int i = 0; i < layers.size(); i++) {
            sb.append("  (").append(i).append("): ").append(layers.get(i)).append('\n');
        }
        return sb.append(')').toString();
    }
}
