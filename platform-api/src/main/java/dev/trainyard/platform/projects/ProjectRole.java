package dev.trainyard.platform.projects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A member's role in a project. Ordered: viewers read, editors also write runs and experiments, admins also manage members. */
public enum ProjectRole {
    VIEWER, EDITOR, ADMIN;

    public boolean includes(ProjectRole other) {
        return compareTo(other) >= 0;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ProjectRole fromWire(String value) {
        for (ProjectRole r : values()) {
            if (r.wireName().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, editor, admin");
    }
}
