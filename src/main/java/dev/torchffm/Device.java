package dev.torchffm;

import dev.torchffm.internal.bindings.TorchFfm;
import java.util.Locale;

/**
 * Where a tensor lives: the CPU or one CUDA device. {@link #best()} picks {@code cuda:0} when CUDA
 * is usable and the CPU otherwise, as the d2l chapter's {@code try_gpu()}.
 */
public record Device(Type type, int index) {
    /** The kind of device; codes are the C API's {@code TFFM_DEVICE_*} (equal to {@code c10::DeviceType}). */
    public enum Type {
        CPU(TorchFfm.TFFM_DEVICE_CPU()),
        CUDA(TorchFfm.TFFM_DEVICE_CUDA());

        final int code;

        Type(int code) {
            this.code = code;
        }

        /** The type with this {@code TFFM_DEVICE_*} code; {@link IllegalArgumentException} for any other. */
        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("LibTorch device type code " + code + " is not supported by torchffm");
        }
    }

    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == Type.CPU && index != -1) {
            throw new IllegalArgumentException("the CPU device has no index");
        }
        if (type == Type.CUDA && index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
    }

    /**
     * CUDA device {@code n}, checked against the devices present.
     *
     * @throws IllegalArgumentException if there is no such device, saying how many there are
     */
    public static Device cuda(int n) {
        int count = Torch.cudaDeviceCount();
        if (n < 0 || n >= count) {
            String why = !Torch.cudaCompiled()
                    ? " (this torchffm build has no CUDA: its LibTorch is CPU-only)"
                    : count == 0 ? " (CUDA is compiled in but no device is usable)" : "";
            throw new IllegalArgumentException(
                    "CUDA device " + n + " is not available: " + count + " CUDA device(s)" + why);
        }
        return new Device(Type.CUDA, n);
    }

    /** {@code cuda:0} when CUDA is usable, else the CPU. */
    public static Device best() {
        return Torch.cudaAvailable() ? cuda(0) : CPU;
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (as {@link #best()}). */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return best();
        }
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "': use auto, cpu, cuda or cuda:N");
    }

    static Device of(int typeCode, int index) {
        return Type.of(typeCode) == Type.CUDA ? new Device(Type.CUDA, index) : CPU;
    }

    int typeCode() {
        return type.code;
    }

    int indexCode() {
        return type == Type.CPU ? 0 : index;
    }

    public boolean isCuda() {
        return type == Type.CUDA;
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
