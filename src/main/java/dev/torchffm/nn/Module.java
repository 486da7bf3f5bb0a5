package dev.torchffm.nn;

import dev.torchffm.Device;
import dev.torchffm.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: a function of one tensor with named parameters, buffers (state that is
 * saved but not trained, such as BatchNorm's running statistics) and a train/eval mode. Names follow
 * PyTorch's {@code state_dict} keys ({@code weight}, {@code 0.bias}, {@code 1.running_mean}, ...).
 * Closing a module frees its parameters and buffers. Subclasses override {@link #to}, {@link #train} and
 * {@link #eval} to return their own type, so that {@code Sequential net = LeNet.classic().to(device)}
 * compiles.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Parameter> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the module's output; the result belongs to the current scope. */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter under {@code name} (the tensor is kept, i.e. taken out of any scope). */
    protected final Parameter register(String name, Tensor value) {
        Parameter p = new Parameter(value);
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a buffer under {@code name}: saved in the state_dict and moved with the module, but
     * not trained (no gradient, not in {@link #parameters()}). The tensor is kept.
     */
    protected final Parameter registerBuffer(String name, Tensor value) {
        Parameter b = Parameter.buffer(value);
        buffers.put(name, b);
        return b;
    }

    /**
     * Every tensor of the state_dict, named and ordered as PyTorch's {@code module.state_dict()}: each
     * module's parameters, then its buffers, then its children's entries prefixed by their key. The
     * tensors stay owned by the module, as {@link #namedParameters()}'s: do not close them.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.tensor()));
        buffers.forEach((name, b) -> out.put(name, b.tensor()));
        children().forEach((key, child) -> child.stateDict().forEach((n, t) -> out.put(key + "." + n, t)));
        return out;
    }

    /**
     * Parameters by state_dict name, in registration order (children prefixed by their key). These
     * are the module's own tensors, for optimizers and checkpoints: they stay owned by the module, so
     * do not close them (close the module). Layer getters such as {@link Linear#weight()} return
     * handles of your own instead.
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.tensor()));
        children().forEach((key, child) -> child.namedParameters().forEach((n, t) -> out.put(key + "." + n, t)));
        return out;
    }

    /** Every parameter tensor, in state_dict order (owned by the module, see {@link #namedParameters()}). */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Sub-modules by key; none for a leaf layer. */
    protected Map<String, Module> children() {
        return Map.of();
    }

    /** Switches to training mode (recursively). Returns this module. */
    public Module train() {
        return mode(true);
    }

    /** Switches to evaluation mode (recursively). Returns this module. */
    public Module eval() {
        return mode(false);
    }

    private Module mode(boolean train) {
        training = train;
        children().values().forEach(c -> c.mode(train));
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Moves every parameter to {@code device} in place. Returns this module. */
    public Module to(Device device) {
        parameters.values().forEach(p -> p.to(device));
        buffers.values().forEach(b -> b.to(device));
        children().values().forEach(c -> c.to(device));
        return this;
    }

    /** The device of the first parameter (the CPU for a module without parameters). */
    public Device device() {
        List<Tensor> ps = parameters();
        return ps.isEmpty() ? Device.CPU : ps.get(0).device();
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** A short description, as PyTorch prints a layer. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
    }

    /** Frees the parameters and buffers of this module and its children. */
    @Override
    public void close() {
        parameters.values().forEach(Parameter::close);
        buffers.values().forEach(Parameter::close);
        children().values().forEach(Module::close);
    }
}
