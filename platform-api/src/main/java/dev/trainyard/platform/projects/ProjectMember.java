package dev.trainyard.platform.projects;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "project_members")
public class ProjectMember {

    @Embeddable
    public record Key(@Column(name = "project_id") long projectId, @Column(name = "user_id") long userId)
            implements Serializable {}

    @EmbeddedId
    private Key id;

    @Convert(converter = RoleConverter.class)
    @Column(nullable = false, length = 8)
    private ProjectRole role;

    @Column(name = "added_at", nullable = false)
    private Instant addedAt;

    protected ProjectMember() {}

    public ProjectMember(long projectId, long userId, ProjectRole role, Instant addedAt) {
        this.id = new Key(projectId, userId);
        this.role = role;
        this.addedAt = addedAt;
    }

    public long getProjectId() {
        return id.projectId();
    }

    public long getUserId() {
        return id.userId();
    }

    public ProjectRole getRole() {
        return role;
    }

    public void setRole(ProjectRole role) {
        this.role = role;
    }

    public Instant getAddedAt() {
        return addedAt;
    }

    @Converter
    static class RoleConverter implements AttributeConverter<ProjectRole, String> {
        @Override
        public String convertToDatabaseColumn(ProjectRole role) {
            return role == null ? null : role.wireName();
        }

        @Override
        public ProjectRole convertToEntityAttribute(String value) {
            return value == null ? null : ProjectRole.fromWire(value);
        }
    }
}
