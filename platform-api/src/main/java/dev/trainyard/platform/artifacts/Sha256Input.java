package dev.trainyard.platform.artifacts;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.PayloadTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpStatus;

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

    /**
     * The answer when storing the body read through this stream failed with {@code e} because of the client: 413 for a
     * body over the limit, 400 for a body that broke off or did not match its declared size. Null when the store
     * failed instead (the caller logs that and answers 503).
     *
     * @param what what was uploaded, e.g. "the checkpoint"
     * @param maxSizeSetting the property that sets the limit
     */
    public ApiException clientFailure(Exception e, String what, String maxSizeSetting) {
        if (failure instanceof PayloadTooLargeException tooLarge) {
            return new ApiException(HttpStatus.CONTENT_TOO_LARGE, what + " is " + tooLarge.getMessage() + " ("
                    + maxSizeSetting + "); nothing was stored", List.of());
        }
        if (failure != null) {
            return ApiException.badRequest("reading the upload failed after " + count + " bytes ("
                    + failure.getMessage() + "); nothing was stored", List.of());
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().contains("declared")) {
            return ApiException.badRequest(e.getMessage() + "; nothing was stored", List.of());
        }
        return null;
    }
}
