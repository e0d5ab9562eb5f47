package dev.trainyard.worker.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt dataset archive fails with what is wrong with it, not with an exception's empty message. */
class DatasetCacheTest {

    @TempDir
    Path dir;

    @Test
    void aTruncatedZipSaysItIsCorruptOrTruncated() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("train.csv"));
            byte[] rows = new byte[200_000];
            new java.util.Random(1).nextBytes(rows); // incompressible, so the cut falls inside the entry's data
            out.write(rows);
            out.closeEntry();
        }
        byte[] truncated = Arrays.copyOf(zip.toByteArray(), 5_000);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(truncated));

        IOException e = assertThrows(IOException.class, () -> new DatasetCache(dir.resolve("cache"))
                .resolve("sha256:" + hex, (h, target) -> {
                    Files.write(target, truncated);
                    return hex;
                }));
        assertTrue(e.getMessage().startsWith("the dataset's zip archive is corrupt or truncated ("), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache").resolve(hex)), "nothing partial is cached");
    }

    @Test
    void aGoodZipIsUnpacked() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("train.csv"));
            out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        byte[] bytes = zip.toByteArray();
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path p = new DatasetCache(dir.resolve("cache")).resolve("sha256:" + hex, (h, target) -> {
            Files.write(target, bytes);
            return hex;
        });
        assertEquals("a,b\n1,2\n", Files.readString(p.resolve("train.csv")));
    }
}
