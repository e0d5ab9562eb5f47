package dev.trainyard.platform.artifacts;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.ProblemWriter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Sends a stored artifact's bytes (a checkpoint, a dataset) from the artifact store, as HTTP downloads are expected to behave: {@code ETag} is the
 * SHA-256 (strong: the bytes never change under an id), {@code If-None-Match} answers 304, {@code Range} answers 206
 * with one range or {@code multipart/byteranges} for several (each read from the store at its offset, not by
 * skipping), {@code If-Range} with another ETag sends the whole file, an unsatisfiable range is a 416 problem with
 * {@code Content-Range: bytes *}{@code /size}, and {@code Content-Disposition: attachment} names the file. HEAD sends
 * the headers only.
 */
@Component
public class ArtifactDownloads {

    private static final Logger log = LoggerFactory.getLogger(ArtifactDownloads.class);

    /**
     * What to send.
     *
     * @param what names it in errors and logs: {@code checkpoint 12 of run 3}
     * @param sha256 lower-case hex: the ETag, and the value of {@code sha256Header}
     * @param sha256Header the response header that carries the hex digest too ({@code X-Checkpoint-Sha256})
     */
    public record Download(String what, ArtifactKey key, long sizeBytes, String sha256, String filename,
            String sha256Header) {}

    private final ArtifactStore store;
    private final ProblemWriter problems;

    ArtifactDownloads(ArtifactStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
    }

    public void send(Download c, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String etag = "\"" + c.sha256() + "\"";
        long size = c.sizeBytes();
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            common(c, etag, response);
            return;
        }
        String range = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        if (range != null && ifRange != null && !ifRange.strip().equals(etag)) {
            range = null; // the client's partial copy is of other bytes (or dated): send them all
        }
        boolean head = "HEAD".equals(request.getMethod());
        ArtifactKey key = c.key();
        switch (ByteRanges.parse(range, size)) {
            case ByteRanges.Whole whole -> {
                InputStream in = head ? null : open(c, key, 0, -1);
                response.setStatus(HttpStatus.OK.value());
                common(c, etag, response);
                response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
                response.setContentLengthLong(size);
                copy(in, response);
            }
            case ByteRanges.Unsatisfiable unsatisfiable -> {
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
                problems.write(request, response, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "the range " + range
                        + " is outside " + c.what() + ", which has " + size + " bytes");
            }
            case ByteRanges.Partial partial when partial.ranges().size() == 1 -> {
                ByteRanges.Range r = partial.ranges().getFirst();
                InputStream in = head ? null : open(c, key, r.first(), r.length());
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                common(c, etag, response);
                response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
                response.setHeader(HttpHeaders.CONTENT_RANGE, r.contentRange(size));
                response.setContentLengthLong(r.length());
                copy(in, response);
            }
            case ByteRanges.Partial partial -> multipart(c, key, etag, partial.ranges(), head, response);
        }
    }

    private void multipart(Download c, ArtifactKey key, String etag, List<ByteRanges.Range> ranges, boolean head,
            HttpServletResponse response) throws IOException {
        String boundary = UUID.randomUUID().toString().replace("-", "");
        List<byte[]> partHeaders = new ArrayList<>();
        long length = 0;
        for (ByteRanges.Range r : ranges) {
            byte[] h = ("\r\n--" + boundary + "\r\nContent-Type: " + MediaType.APPLICATION_OCTET_STREAM_VALUE
                    + "\r\nContent-Range: " + r.contentRange(c.sizeBytes()) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            partHeaders.add(h);
            length += h.length + r.length();
        }
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += end.length;
        InputStream first = head ? null : open(c, key, ranges.getFirst().first(), ranges.getFirst().length());
        response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
        common(c, etag, response);
        response.setContentType("multipart/byteranges; boundary=" + boundary);
        response.setContentLengthLong(length);
        if (head) {
            return;
        }
        ServletOutputStream out = response.getOutputStream();
        for (int i = 0; i < ranges.size(); i++) {
            ByteRanges.Range r = ranges.get(i);
            out.write(partHeaders.get(i));
            try (InputStream in = i == 0 ? first : open(c, key, r.first(), r.length())) {
                in.transferTo(out);
            }
        }
        out.write(end);
    }

    private static void common(Download c, String etag, HttpServletResponse response) {
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        // downloads need a token: no shared caches; a private cache revalidates with If-None-Match
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(c.filename()).build().toString());
        response.setHeader("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(c.sha256())) + ":");
        response.setHeader(c.sha256Header(), c.sha256());
    }

    /** Opens the bytes before any header is set, so a store failure is still a clean problem response. */
    private InputStream open(Download c, ArtifactKey key, long offset, long length) throws IOException {
        try {
            return store.get(key, offset, length);
        } catch (ArtifactNotFoundException e) {
            log.error("{} is recorded but its artifact {} is missing from the {}", c.what(), key, store.describe());
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, c.what() + "'s file is missing from the "
                    + "artifact store; the server log has the details", List.of());
        } catch (IOException e) {
            log.error("reading {} from the {} failed", c.what(), store.describe(), e);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the artifact store failed; try again",
                    List.of());
        }
    }

    private static void copy(InputStream in, HttpServletResponse response) throws IOException {
        if (in == null) {
            return;
        }
        try (in) {
            in.transferTo(response.getOutputStream());
        }
    }

    /** If-None-Match: {@code *} or a list of entity tags, compared weakly (RFC 9110 §13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.strip();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
