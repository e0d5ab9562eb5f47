package dev.trainyard.platform.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a token may do. Ordered: a write token can read, an admin token can do both and manage members and users. */
public enum Scope {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return compareTo(other) >= 0;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Scope fromWire(String value) {
        for (Scope s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be one of read, write, admin");
    }
}
