package dev.trainyard.platform.web;

import java.io.IOException;

/** Thrown while reading a request body that turns out larger than {@code trainyard.max-request-size}. */
public class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
