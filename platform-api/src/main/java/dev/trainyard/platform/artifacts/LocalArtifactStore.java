package dev.trainyard.platform.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Artifacts as files under one directory, the key's segments as sub-directories. The default store; standalone puts
 * it in {@code .trainyard/artifacts}.
 *
 * <p>Beyond what {@link ArtifactKey} already refuses, this store refuses to follow a symbolic link anywhere below its
 * root: a directory on the way to a key, or the key's file itself, that is a link is an error rather than a way out
 * of the root. Files are written to a hidden {@code .<name>.partial} beside their final name and renamed into place
 * (atomically) once complete, so readers never see half a file; {@link #delete} removes a left-over partial too.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public LocalArtifactStore(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    @Override
    public long put(ArtifactKey key, InputStream in, long length) throws IOException {
        Path dir = directory(key, true);
        Path target = dir.resolve(key.name());
        if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("refusing to write " + key + ": it is a symbolic link or a directory");
        }
        Path partial = partial(dir, key);
        long count = 0;
        try {
            try (OutputStream out = open(key, partial)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    count += n;
                    if (length >= 0 && count > length) {
                        throw new IOException("artifact " + key + ": more than the declared " + length + " bytes");
                    }
                }
            }
            if (length >= 0 && count != length) {
                throw new IOException("artifact " + key + ": " + count + " bytes instead of the declared " + length);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return count;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /** Opens the partial file, once more if a concurrent delete just removed its (empty) directory. */
    private OutputStream open(ArtifactKey key, Path partial) throws IOException {
        try {
            return Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            directory(key, true);
            return Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    @Override
    public InputStream get(ArtifactKey key, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Path file = file(key);
        FileChannel channel;
        try {
            // NOFOLLOW_LINKS: a link put at the key's own name is not followed (O_NOFOLLOW)
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(key);
        }
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        InputStream in = Channels.newInputStream(channel);
        return length < 0 ? in : new Bounded(in, length);
    }

    @Override
    public void delete(ArtifactKey key) throws IOException {
        Path dir = directory(key, false);
        if (dir == null) {
            return;
        }
        Files.deleteIfExists(dir.resolve(key.name())); // a link is removed, never its target
        Files.deleteIfExists(partial(dir, key));
        // Leave no empty directories behind (a deleted run's projects/1/runs/7/...): best effort, a concurrent
        // put into the same directory wins.
        for (Path d = dir; !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            }
        }
    }

    @Override
    public boolean exists(ArtifactKey key) throws IOException {
        Path dir = directory(key, false);
        return dir != null && Files.isRegularFile(dir.resolve(key.name()), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(ArtifactKey key) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file(key), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new ArtifactNotFoundException(key);
            }
            return attributes.size();
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(key);
        }
    }

    @Override
    public String describe() {
        return "local directory " + root;
    }

    /** The key's file, after checking the directories on the way; it may not exist. */
    private Path file(ArtifactKey key) throws IOException {
        Path dir = directory(key, false);
        if (dir == null) {
            throw new ArtifactNotFoundException(key);
        }
        Path file = dir.resolve(key.name());
        if (Files.isSymbolicLink(file)) {
            throw new IOException("refusing to read " + key + ": it is a symbolic link");
        }
        return file;
    }

    private static Path partial(Path dir, ArtifactKey key) {
        return dir.resolve("." + key.name() + ".partial");
    }

    /**
     * The directory holding the key's file, walked one segment at a time from the root: each that exists must be a
     * real directory (not a link), each that does not is created when {@code create} (else null is returned).
     */
    private Path directory(ArtifactKey key, boolean create) throws IOException {
        List<String> segments = key.segments();
        Path dir = root;
        for (String segment : segments.subList(0, segments.size() - 1)) {
            dir = dir.resolve(segment);
            if (Files.isSymbolicLink(dir)) {
                throw new IOException("refusing to follow the symbolic link " + root.relativize(dir) + " in "
                        + describe() + " (for " + key + ")");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!create) {
                    return null;
                }
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    // created meanwhile by a concurrent put: checked below
                }
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root.relativize(dir) + " in " + describe() + " is not a directory (for "
                        + key + ")");
            }
        }
        if (!dir.normalize().startsWith(root)) {
            // cannot happen (ArtifactKey and the walk above): belt and braces
            throw new IOException("artifact key " + key + " resolves outside " + root);
        }
        return dir;
    }

    /** At most {@code remaining} bytes of the wrapped stream. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }
}
