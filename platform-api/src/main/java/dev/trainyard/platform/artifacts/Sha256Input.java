package dev.trainyard.platform.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The request body on its way to the store: counted, hashed, and with the first read failure kept, to tell a
 * client's failure (or a body over the limit) from the store's.
 */
public final class Sha256Input extends FilterInputStream {
    private final MessageDigest sha256;
    private long count;
    private IOException failure;

    public Sha256Input(InputStream in) {
        super(in);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must pass through the digest
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the container closes the request body
    }

    /** The SHA-256 of what was read, as lower-case hex; call once, at the end. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    public long count() {
        return count;
    }

    /** The first read failure of the underlying stream (the client's side), or null. */
    public IOException failure() {
        return failure;
    }
}
