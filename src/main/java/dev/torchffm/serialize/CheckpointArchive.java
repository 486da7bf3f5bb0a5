package dev.torchffm.serialize;

import dev.torchffm.DType;
import dev.torchffm.MalformedFileException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip layout of a PyTorch checkpoint: {@code <archive>/data.pkl}, an optional
 * {@code <archive>/byteorder}, and one {@code <archive>/data/<key>} record per storage. Records are
 * streamed: sizes declared in the zip directory are only used to refuse early, never to allocate.
 */
final class CheckpointArchive implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final String prefix;

    private CheckpointArchive(Path file, ZipFile zip, String prefix) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
    }

    /**
     * Opens {@code file} and checks its layout.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws MalformedFileException when it is not a PyTorch zip checkpoint
     */
    static CheckpointArchive open(Path file) {
        ZipFile zip = openZip(file);
        try {
            return new CheckpointArchive(file, zip, checkLayout(file, zip));
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(zip, e);
            throw failure(file, e);
        }
    }

    private static ZipFile openZip(Path file) {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw notAZip(file, e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": access denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new UncheckedIOException("cannot read checkpoint " + file + ": it is a directory", e);
            }
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
        }
    }

    // The archive's folder name, after checking it is a checkpoint of tensors (not TorchScript, big-endian).
    private static String checkLayout(Path file, ZipFile zip) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        if (!entries.hasMoreElements()) {
            throw new MalformedFileException(file, "it is an empty zip file, not a PyTorch checkpoint");
        }
        String first = entries.nextElement().getName();
        int slash = first.indexOf('/');
        if (slash <= 0 || zip.getEntry(first.substring(0, slash) + "/data.pkl") == null) {
            throw new MalformedFileException(
                    file, "it is a zip file but not a PyTorch checkpoint" + " (no <archive>/data.pkl record)");
        }
        String prefix = first.substring(0, slash) + "/";
        if (zip.getEntry(prefix + "constants.pkl") != null) {
            throw new MalformedFileException(
                    file,
                    "it is a TorchScript module archive (torch.jit.save), not a"
                            + " checkpoint of a dict of tensors; save net.state_dict() with torch.save instead");
        }
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null) {
            String value;
            try (InputStream in = zip.getInputStream(order)) {
                value = new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
            }
            if (!value.equals("little")) {
                throw new MalformedFileException(
                        file, "it has byte order '" + value + "'; torchffm reads only little-endian checkpoints");
            }
        }
        return prefix;
    }

    /** The bytes of {@code data.pkl}, refused once they pass {@code limit} (read no further). */
    byte[] pickle(long limit) {
        ZipEntry entry = zip.getEntry(prefix + "data.pkl");
        if (entry.getSize() > limit) {
            throw tooLarge(entry.getSize(), limit);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) limit + 1); // grows with what arrives, not with what is declared
            if (bytes.length > limit) {
                throw tooLarge(bytes.length, limit);
            }
            return bytes;
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private MalformedFileException tooLarge(long size, long limit) {
        return new MalformedFileException(
                file,
                "its data.pkl holds " + (size > limit + 1 ? size + " bytes" : "over " + limit + " bytes")
                        + ", more than the limit of " + limit + " bytes; raise -D"
                        + ReadLimits.MAX_PICKLE_BYTES + " if the file is trusted");
    }

    /** The record of storage {@code key}, or null when there is none. */
    ZipEntry record(String key) {
        return key.isEmpty() || key.contains("/") ? null : zip.getEntry(prefix + "data/" + key);
    }

    String recordName(String key) {
        return prefix + "data/" + key;
    }

    /**
     * The first {@code bytes} bytes of storage {@code key}'s record, read in bounded chunks as they
     * arrive; a record that holds fewer is refused.
     */
    StorageData read(String key, DType dtype, long bytes) {
        ZipEntry entry = record(key);
        StorageData data = new StorageData(dtype);
        try (InputStream in = zip.getInputStream(entry)) {
            long got = data.readFrom(in, bytes);
            if (got < bytes) {
                throw new MalformedFileException(
                        file,
                        "data record " + entry.getName() + " is truncated (holds " + got + " bytes, its tensors need "
                                + bytes + ")");
            }
            return data;
        } catch (RuntimeException | Error e) {
            data.close();
            throw e;
        } catch (IOException e) {
            data.close();
            throw failure(file, e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    /** A failure while reading an opened archive: damage for zip errors, else an I/O error. */
    static RuntimeException failure(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return new MalformedFileException(
                    file, "it is a damaged or truncated zip file (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException("cannot read checkpoint " + file + ": " + e, e);
    }

    private static void closeQuietly(ZipFile zip, Exception failure) {
        try {
            zip.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static MalformedFileException notAZip(Path file, ZipException cause) {
        byte[] head = new byte[4];
        int n = 0;
        long length = -1;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
            length = Files.size(file);
        } catch (IOException e) {
            // describe it from the zip error alone
        }
        String why;
        if (length == 0) {
            why = "it is empty, not a PyTorch zip checkpoint";
        } else if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            why = "it is in PyTorch's legacy (non-zip) torch.save format, which torchffm does not read;"
                    + " re-save it with torch.save(obj, f, _use_new_zipfile_serialization=True)";
        } else if (n >= 2 && head[0] == 'P' && head[1] == 'K') {
            why = "it is a damaged or truncated zip file (" + cause.getMessage() + ")";
        } else {
            why = "it is not a PyTorch zip checkpoint; save it with torch.save(obj, f,"
                    + " _use_new_zipfile_serialization=True) (the default since PyTorch 1.6)";
        }
        return new MalformedFileException(file, why, cause);
    }
}
