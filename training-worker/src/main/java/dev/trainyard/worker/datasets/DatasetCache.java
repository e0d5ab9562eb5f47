package dev.trainyard.worker.datasets;

import dev.trainyard.worker.client.Sha256;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Dataset artifacts by SHA-256 under a cache directory: {@code <dir>/<hex>} is the csv file, or the directory a zip of
 * IDX files was unpacked into. A missing artifact is downloaded once (concurrent runs asking for the same one wait),
 * its digest verified, zips unpacked, then moved into place atomically, so the cache never holds a partial artifact.
 */
public final class DatasetCache {

    /** Fetches an artifact's bytes into a file and returns their SHA-256 (hex). */
    @FunctionalInterface
    public interface Download {
        String into(String sha256Hex, Path target) throws IOException, InterruptedException;
    }

    private final Path dir;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public DatasetCache(Path dir) {
        this.dir = dir;
    }

    /** The local path of artifact {@code sha256:<hex>}, downloading it with {@code download} if it is not cached. */
    public Path resolve(String artifact, Download download) throws IOException, InterruptedException {
        String hex = artifact.substring(artifact.indexOf(':') + 1).toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a dataset artifact is sha256:<64 hex digits>, got '" + artifact + "'");
        }
        Path target = dir.resolve(hex);
        synchronized (locks.computeIfAbsent(hex, k -> new Object())) {
            if (Files.exists(target)) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, hex + ".download-");
            try {
                Path file = tmp.resolve("artifact");
                String actual = download.into(hex, file);
                if (!hex.equals(actual)) {
                    throw new IOException("dataset artifact " + artifact + ": the downloaded bytes have sha256 " + actual
                            + ", expected " + hex);
                }
                if (isZip(file)) {
                    Path unpacked = tmp.resolve("unpacked");
                    unzip(file, unpacked);
                    move(unpacked, target);
                } else {
                    move(file, target);
                }
                return target;
            } finally {
                deleteRecursively(tmp);
            }
        }
    }


    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return HexFormat.of().formatHex(magic).equals("504b0304");
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry '" + e.getName() + "' points outside the archive's directory");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (ZipException | EOFException e) {
            // a truncated archive's EOFException has no message: say what it means
            throw new IOException("the dataset's zip archive is corrupt or truncated ("
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // another worker process sharing the cache put it there first
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
